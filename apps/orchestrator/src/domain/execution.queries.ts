/**
 * Read-only questions the orchestrator's handlers ask of a folded state or a decision, so that
 * they never reach into the state's internals themselves.
 */
import type { EvaluationScope, ExecutionEvent, NodeScheduled, TimerKind } from '@flowstack/contracts';
import { isActive } from './execution.state';
import type { ExecutionState, StartedExecution } from './execution.state';

/**
 * What templates and expressions see (a node task's `scope`, and inline evaluations): the input,
 * the output of every succeeded node (skipped and failed nodes are absent, so an expression can
 * test for a branch that did not run), and the execution's identity.
 */
export function scopeOf(state: StartedExecution): EvaluationScope {
  const nodes: Record<string, { output: unknown }> = {};
  for (const nodeId of state.topology.order) {
    const node = state.nodes[nodeId];
    if (node.status === 'succeeded') nodes[nodeId] = { output: node.output };
  }
  return {
    input: state.input,
    nodes,
    execution: {
      id: state.executionId,
      workflowId: state.workflowId,
      workflowVersion: state.workflowVersion,
      startedAt: state.startedAt,
    },
  };
}

/**
 * Inline nodes waiting for the orchestrator to evaluate them, in graph order; each is answered
 * with `CompleteNode`/`FailNode` for its current attempt. Empty once the execution has finished:
 * a failed run's leftover inline nodes are never evaluated.
 */
export function pendingInlineNodes(state: ExecutionState): string[] {
  if (!isActive(state)) return [];
  return state.topology.order.filter((nodeId) => {
    const node = state.nodes[nodeId];
    return node.status === 'scheduled' && node.mode === 'inline';
  });
}

/** The remote attempts scheduled by `events` (a decision's result), in order: the tasks to publish. */
export function scheduledRemoteNodes(events: readonly ExecutionEvent[]): NodeScheduled['data'][] {
  return events.flatMap((event) => (event.type === 'NodeScheduled' && event.data.mode === 'remote' ? [event.data] : []));
}

/** A durable timer a decision recorded: what the handler writes to the timers table with the events. */
export interface TimerToArm {
  timerId: string;
  kind: TimerKind;
  nodeId: string;
  dueAt: string;
}

/** The timers `events` (a decision's result) start: a retry's backoff, a delay node's wait. */
export function timersOf(events: readonly ExecutionEvent[]): TimerToArm[] {
  return events.flatMap((event): TimerToArm[] => {
    if (event.type === 'NodeRetryScheduled') {
      const { timerId, nodeId, dueAt } = event.data;
      return [{ timerId, kind: 'retry', nodeId, dueAt }];
    }
    if (event.type === 'TimerScheduled') {
      const { timerId, kind, nodeId, dueAt } = event.data;
      return [{ timerId, kind, nodeId, dueAt }];
    }
    return [];
  });
}

/**
 * A durable timer row that a decision writes for another execution of the same workspace, in the
 * same transaction: a child's end reports to its parent's node attempt (`child_done`, on the
 * parent), a parent's end cancels its running children (`parent_cancelled`, on each child).
 */
export interface LinkedTimer extends TimerToArm {
  executionId: string;
}

/** The `child_done` timer id of the parent's `nodeId` attempt `attempt`. */
export const childDoneTimerId = (nodeId: string, attempt: number): string => `child_done:${nodeId}:${attempt}`;

/** The linked timers `events` (a decision's result, folded into `state`) start; see `LinkedTimer`. */
export function linkedTimersOf(state: ExecutionState, events: readonly ExecutionEvent[]): LinkedTimer[] {
  if (state.status === 'pending' || (!state.parent && !state.children)) return [];
  const end = events.find(
    (e) => e.type === 'ExecutionCompleted' || e.type === 'ExecutionFailed' || e.type === 'ExecutionCancelled',
  );
  if (!end) return [];
  const at =
    end.type === 'ExecutionCompleted'
      ? end.data.completedAt
      : end.type === 'ExecutionFailed'
        ? end.data.failedAt
        : end.data.cancelledAt;
  const linked: LinkedTimer[] = [];
  if (state.parent) {
    const { executionId, nodeId, attempt } = state.parent;
    linked.push({ executionId, timerId: childDoneTimerId(nodeId, attempt), kind: 'child_done', nodeId, dueAt: at });
  }
  // A parent that ends leaves no child running: a cancel names the cancelled nodes (their
  // children are `cancelled` in the fold by then), a failure leaves the others' children `running`.
  const cancelled = end.type === 'ExecutionCancelled' ? new Set(end.data.cancelledNodes) : undefined;
  for (const child of state.children ?? []) {
    const node = state.nodes[child.nodeId];
    const current = node?.attempts === child.attempt;
    const live = cancelled ? cancelled.has(child.nodeId) && current : child.status === 'running' && current;
    if (!live) continue;
    linked.push({ executionId: child.executionId, timerId: 'parent_cancelled', kind: 'parent_cancelled', nodeId: '', dueAt: at });
  }
  return linked;
}
