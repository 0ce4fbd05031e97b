/**
 * The execution as `orchestrator.execution.get` returns it (contracts `ExecutionView`).
 */
import type { ExecutionView, NodeView } from '@flowstack/contracts';
import { assertNever } from './execution.state';
import type { NodeState, StartedExecution } from './execution.state';
import { elapsedMs } from './execution.scheduling';

/**
 * Maps a started execution to its view: every node of the graph (never-scheduled ones `pending`
 * with 0 attempts), output `null` until completed, `error`, `finishedAt` and `durationMs` only once
 * finished. Absent values are omitted rather than set to `undefined`.
 */
export function toExecutionView(state: StartedExecution): ExecutionView {
  const nodes: Record<string, NodeView> = {};
  for (const nodeId of state.topology.order) nodes[nodeId] = nodeView(state.nodes[nodeId]);
  const view: ExecutionView = {
    id: state.executionId,
    workflowId: state.workflowId,
    workflowVersion: state.workflowVersion,
    status: state.status,
    input: state.input,
    output: null,
    nodes,
    totalCost: state.totalCost,
    startedAt: state.startedAt,
    ...(state.deletedAt === undefined ? {} : { deletedAt: state.deletedAt }),
    ...(state.retries > 0 ? { retries: state.retries } : {}),
    ...(state.forkedFrom === undefined ? {} : { forkedFrom: state.forkedFrom }),
    ...(state.parent === undefined ? {} : { parent: state.parent }),
    ...(state.children === undefined ? {} : { children: [...state.children] }),
  };
  switch (state.status) {
    case 'running':
    case 'awaiting_approval':
      return view;
    case 'completed':
      return { ...view, output: state.output, ...finished(state.startedAt, state.finishedAt) };
    case 'failed':
      return { ...view, error: state.error, ...finished(state.startedAt, state.finishedAt) };
    case 'cancelled':
      return { ...view, cancellation: state.cancellation, ...finished(state.startedAt, state.finishedAt) };
    default:
      return assertNever(state);
  }
}

function finished(startedAt: string, finishedAt: string): Pick<ExecutionView, 'finishedAt' | 'durationMs'> {
  return { finishedAt, durationMs: elapsedMs(startedAt, finishedAt) };
}

function nodeView(node: NodeState): NodeView {
  const view: NodeView = { status: node.status, attempts: node.attempts };
  if (node.output !== undefined) view.output = node.output;
  if (node.error !== undefined) view.error = node.error;
  if (node.startedAt !== undefined) view.startedAt = node.startedAt;
  if (node.finishedAt !== undefined) view.finishedAt = node.finishedAt;
  if (node.durationMs !== undefined) view.durationMs = node.durationMs;
  if (node.copiedFrom !== undefined) view.copiedFrom = node.copiedFrom;
  if (node.status === 'retry_scheduled' && node.timer)
    view.nextAttempt = { attempt: node.timer.attempt, dueAt: node.timer.dueAt };
  if (node.status === 'awaiting_approval' && node.approval) {
    const { prompt, approverRole, requestedAt, dueAt, onTimeout } = node.approval;
    view.approval = { prompt, approverRole, requestedAt, ...(dueAt === undefined ? {} : { dueAt, onTimeout }) };
  }
  return view;
}
