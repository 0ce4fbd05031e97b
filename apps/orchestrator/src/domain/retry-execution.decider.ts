/**
 * Retry from failure (`POST /executions/{id}/retry`) and fork (`POST /executions/{id}/fork`): the
 * two ways an ended run goes on without running again what already succeeded. Pure like the rest
 * of the decider; `execution.decider.ts` dispatches `RetryExecution` here, and a fork is a
 * `StartExecution` whose `fork` this file's `forkPlan` computed from the source's state.
 */
import type { ExecutionEvent, ExecutionRetried, NodeCompleted, NodeSkipped } from '@flowstack/contracts';
import type { CopiedNode, ForkOf, RetryExecution } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { foldEvents } from './execution.evolve';
import { isResolved, nodeOf } from './execution.state';
import type { ActiveExecution, ExecutionState, StartedExecution } from './execution.state';
import { expectedTaskId, resume } from './execution.scheduling';

/**
 * `ExecutionRetried` for a failed execution, then what it starts: every node that is
 * not `succeeded` or `skipped` is set back to `pending`, and those whose parents are all resolved
 * (the failed node, and nodes of other branches that were still at work when it failed) are scheduled at once with their next attempt; the rest run
 * when their parents succeed, as in a first run. Succeeded nodes keep their outputs and never run
 * (nor cost) again.
 *
 * @throws ExecutionRuleViolation `execution_not_started`; `not_retryable` for a running,
 *   gate-waiting or completed execution (a retry of a run that is running again is refused too:
 *   retry is not idempotent, the 409 says it is running), and for a cancelled one.
 */
export function retryExecution(command: RetryExecution, state: ExecutionState): ExecutionEvent[] {
  if (state.status === 'pending') {
    throw new ExecutionRuleViolation('execution_not_started', `${command.type} needs a started execution`);
  }
  // A cancel is a person's deliberate stop, and tool-runners refuse the cancelled execution's tasks
  // for an hour: a cancelled run goes on as a fork (`POST /executions/{id}/fork`), not a retry.
  if (state.status !== 'failed') {
    throw new ExecutionRuleViolation(
      'not_retryable',
      `execution ${state.executionId} is ${state.status}: only a failed execution can be retried`,
      { status: state.status },
    );
  }
  const { by, reason, now } = command.data;
  const unfinished = state.topology.order.filter((id) => !isResolved(state.nodes[id].status));
  const retried: ExecutionRetried = {
    type: 'ExecutionRetried',
    data: {
      by,
      reason: reason ?? null,
      retriedAt: now,
      previousStatus: state.status,
      cycle: state.retries + 1,
      nodes: [],
      resetNodes: unfinished,
    },
  };
  // The fold treats `nodes` and `resetNodes` alike, so the reopened state is known before the split.
  const reopened = foldEvents([retried], state) as ActiveExecution;
  const next = resume(reopened, now);
  const scheduled = new Set(next.flatMap((e) => (e.type === 'NodeScheduled' ? [e.data.nodeId] : [])));
  retried.data.nodes = unfinished.filter((id) => scheduled.has(id));
  retried.data.resetNodes = unfinished.filter((id) => !scheduled.has(id));
  return [retried, ...next];
}

/** Where each node's result was recorded in the source stream: its last `NodeCompleted`/`NodeSkipped`. */
export type RecordedResults = ReadonlyMap<string, { seq: number; outputBytes?: number }>;

/**
 * The results a fork of `source` from `fromNodeId` copies: every node that `succeeded` or was
 * `skipped` in the source and does not depend on `fromNodeId` (is neither it nor downstream of
 * it), in graph order. `fromNodeId` and everything downstream of it run again in the fork, as do
 * nodes that had not finished in the source.
 *
 * @throws ExecutionRuleViolation `unknown_node` for a node not in the source's graph;
 *   `fork_node_not_reached` for a node the source never got to (still pending, skipped, or some
 *   parent unfinished).
 */
export function forkPlan(source: StartedExecution, recorded: RecordedResults, fromNodeId: string): ForkOf {
  const node = nodeOf(source, fromNodeId);
  if (!node) {
    throw new ExecutionRuleViolation(
      'unknown_node',
      `node '${fromNodeId}' is not in the graph of execution ${source.executionId}`,
      {
        nodeId: fromNodeId,
      },
    );
  }
  const parentsDone = source.topology.incoming[fromNodeId].every((e) => isResolved(source.nodes[e.from].status));
  if (node.status === 'pending' || node.status === 'skipped' || !parentsDone) {
    throw new ExecutionRuleViolation(
      'fork_node_not_reached',
      `node '${fromNodeId}' was not reached in execution ${source.executionId} (it is ${node.status}): there is nothing to fork from`,
      { nodeId: fromNodeId, status: node.status },
    );
  }
  const downstream = new Set<string>([fromNodeId]);
  for (const id of source.topology.order) {
    if (downstream.has(id)) for (const edge of source.topology.outgoing[id]) downstream.add(edge.to);
  }
  const copied = source.topology.order.flatMap((id): CopiedNode[] => {
    const state = source.nodes[id];
    if (downstream.has(id)) return [];
    const at = recorded.get(id);
    const seq = at?.seq ?? 0;
    if (state.status === 'skipped')
      return [{ nodeId: id, status: 'skipped', seq, skippedAt: state.finishedAt ?? source.startedAt }];
    if (state.status !== 'succeeded') return [];
    const startedAt = state.startedAt ?? source.startedAt;
    return [
      {
        nodeId: id,
        status: 'succeeded',
        seq,
        output: state.output,
        ...(at?.outputBytes === undefined ? {} : { outputBytes: at.outputBytes }),
        startedAt,
        completedAt: state.finishedAt ?? startedAt,
        durationMs: state.durationMs ?? 0,
      },
    ];
  });
  return { executionId: source.executionId, fromNodeId, copied };
}

/**
 * A fork's copied results as events of the new stream: `NodeCompleted {attempt: 0, cost: 0,
 * copiedFrom}` (nothing ran, nothing is charged) and `NodeSkipped {copiedFrom}`.
 */
export function copiedEvents(executionId: string, fork: ForkOf): Array<NodeCompleted | NodeSkipped> {
  return fork.copied.map((c): NodeCompleted | NodeSkipped => {
    const copiedFrom = { executionId: fork.executionId, seq: c.seq };
    if (c.status === 'skipped') return { type: 'NodeSkipped', data: { nodeId: c.nodeId, skippedAt: c.skippedAt, copiedFrom } };
    const { nodeId, output, startedAt, completedAt, durationMs } = c;
    return {
      type: 'NodeCompleted',
      data: {
        nodeId,
        attempt: 0,
        taskId: expectedTaskId(executionId, nodeId, 0),
        output,
        startedAt,
        completedAt,
        durationMs,
        cost: 0,
        ...(c.outputBytes === undefined ? {} : { outputBytes: c.outputBytes }),
        copiedFrom,
      },
    };
  });
}

/** The fork's first decision after `ExecutionStarted` and the copies: what is ready now. */
export function forkStart(startedAndCopied: ExecutionEvent[], now: string): ExecutionEvent[] {
  const state = foldEvents(startedAndCopied) as ActiveExecution;
  return resume(state, now);
}
