import type { ExecutionView } from '@flowstack/contracts';
import type { AdmissionEntry } from './admission.store';

/**
 * The view of an execution that has not started: waiting in its workspace's queue (`pending` with
 * its place) or cancelled there. Its nodes are all still to run, so none is listed.
 */
export function queuedView(executionId: string, entry: Exclude<AdmissionEntry, { state: 'running' }>): ExecutionView {
  const { command } = entry.start;
  const common = {
    id: executionId,
    workflowId: command.workflowId,
    workflowVersion: command.workflowVersion,
    input: command.input,
    output: null,
    nodes: {},
    totalCost: 0,
    startedAt: entry.queuedAt,
  };
  return entry.state === 'queued'
    ? { ...common, status: 'pending', queue: { position: entry.position, queuedAt: entry.queuedAt } }
    : {
        ...common,
        status: 'cancelled',
        finishedAt: entry.cancelledAt,
        cancellation: { by: entry.by, reason: null },
      };
}
