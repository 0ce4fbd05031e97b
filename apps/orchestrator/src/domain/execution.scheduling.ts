/**
 * The scheduling rule: what a node's success unlocks downstream. See README.md beside this file.
 */
import type {
  ApprovalRequested,
  ExecutionCompleted,
  NodeScheduled,
  NodeSkipped,
  NodeStatus,
  TimerScheduled,
} from '@flowstack/contracts';
import { requestApproval } from './gate.rules';
import { insertByRank } from './graph.topology';
import { isResolved } from './execution.state';
import type { ActiveExecution, ExecutionCore } from './execution.state';
import { modeOf } from './node-mode';
import { takenEdges } from './routing';
import { scheduleToCloseTimeoutOf } from './retry.policy';

/** The node that just succeeded, as the command reports it (the state does not hold it yet). */
export interface Succeeded {
  nodeId: string;
  output: unknown;
  cost: number;
}

/** `<executionId>:<nodeId>:<attempt>`: the WORK message id, and the key a result must carry back. */
export const expectedTaskId = (executionId: string, nodeId: string, attempt: number): string =>
  `${executionId}:${nodeId}:${attempt}`;

/** The id of the timer that completes `attempt` of the delay node `nodeId`. */
export const delayTimerId = (nodeId: string, attempt: number): string => `delay:${nodeId}:${attempt}`;

/** The id of the schedule-to-close timer armed with `attempt` (the first of the node's retry cycle). */
export const deadlineTimerId = (nodeId: string, attempt: number): string => `deadline:${nodeId}:${attempt}`;

/** The id of the timer that starts the child execution of `attempt` of the sub-workflow node `nodeId`. */
export const childStartTimerId = (nodeId: string, attempt: number): string => `child:${nodeId}:${attempt}`;

/** What scheduling one node records. */
export type ScheduleEvent = NodeScheduled | TimerScheduled | ApprovalRequested;

/**
 * A `NodeScheduled` for `nodeId`'s attempt `attempt`, with the mode its type runs in; for a `delay`
 * node also its `TimerScheduled` (due `config.seconds` after `now`, or at `config.until`; a time
 * already past is due at once); for a `human_gate` its `ApprovalRequested` (and with
 * `timeoutSeconds` its `approval_timeout` timer).
 */
export function scheduleNode(
  state: Pick<ExecutionCore, 'executionId' | 'topology' | 'graph'> & Partial<Pick<ExecutionCore, 'nodes'>>,
  nodeId: string,
  attempt: number,
  now: string,
): ScheduleEvent[] {
  const taskId = expectedTaskId(state.executionId, nodeId, attempt);
  const node = state.topology.nodes[nodeId];
  const mode = modeOf(node.type);
  const scheduled: NodeScheduled = { type: 'NodeScheduled', data: { nodeId, attempt, taskId, mode, scheduledAt: now } };
  // A remote node's schedule-to-close timeout starts with the first attempt of its cycle (the node
  // is pending until then; a retry's attempt finds it `retry_scheduled` and keeps the deadline).
  const total = mode === 'remote' ? scheduleToCloseTimeoutOf(state, nodeId) : undefined;
  const firstOfCycle = (state.nodes?.[nodeId]?.status ?? 'pending') === 'pending';
  if (total !== undefined && firstOfCycle) {
    const dueAt = new Date(Date.parse(now) + total).toISOString();
    const timerId = deadlineTimerId(nodeId, attempt);
    return [scheduled, { type: 'TimerScheduled', data: { timerId, kind: 'schedule_to_close', nodeId, attempt, dueAt } }];
  }
  if (mode === 'gate') return [scheduled, ...requestApproval(node, attempt, now)];
  if (mode === 'child') {
    // Starting the child needs I/O (the registry, billing): a timer due at once makes it durable.
    const timerId = childStartTimerId(nodeId, attempt);
    return [scheduled, { type: 'TimerScheduled', data: { timerId, kind: 'child_start', nodeId, attempt, dueAt: now } }];
  }
  if (mode !== 'timer') return [scheduled];
  const timerId = delayTimerId(nodeId, attempt);
  const dueAt = delayDueAt(node.config ?? {}, now);
  return [scheduled, { type: 'TimerScheduled', data: { timerId, kind: 'delay', nodeId, attempt, dueAt } }];
}

/** When a delay with `config` scheduled at `now` is due: `seconds` after it, or `until` if later. */
export function delayDueAt(config: Record<string, unknown>, now: string): string {
  const start = Date.parse(now);
  if (typeof config.seconds === 'number' && Number.isFinite(config.seconds)) {
    return new Date(start + Math.max(0, Math.round(config.seconds * 1000))).toISOString();
  }
  const until = typeof config.until === 'string' ? Date.parse(config.until) : NaN;
  return new Date(Number.isFinite(until) ? Math.max(start, until) : start).toISOString();
}

/** Milliseconds from `from` to `to` (ISO-8601); 0 if either is unparsable or time runs backwards. */
export function elapsedMs(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/**
 * The events that follow `done`'s success, in topological order: `NodeScheduled` (attempt 1) for
 * every node that became ready (and a delay node's `TimerScheduled`), `NodeSkipped` for every node that can no longer run (cascading),
 * and `ExecutionCompleted` last if no node is left to run.
 *
 * A node is looked at only when a parent resolves. It is ready when every incoming edge comes from
 * a resolved parent (succeeded or skipped) and at least one of those edges is taken; it is skipped
 * when every parent resolved and no edge into it was taken. Skipped children are looked at in turn,
 * and because a child always ranks after its parents, one pass in rank order settles everything.
 */
export function advance(
  state: ActiveExecution,
  done: Succeeded,
  now: string,
): Array<ScheduleEvent | NodeSkipped | ExecutionCompleted> {
  const outputOf = (id: string): unknown => (id === done.nodeId ? done.output : state.nodes[id].output);
  const seeds = state.topology.outgoing[done.nodeId].map((edge) => edge.to);
  return propagate(state, new Map([[done.nodeId, 'succeeded']]), seeds, outputOf, done.cost, now);
}

/**
 * The events that start an execution whose nodes are partly resolved already (a retry set its
 * unfinished nodes back to `pending`; a fork copied the results before its node): every pending
 * node is looked at in rank order with the same rule as `advance` (the entry point, which has no
 * parents, is ready when pending), and `ExecutionCompleted` follows if nothing is left to run.
 */
export function resume(state: ActiveExecution, now: string): Array<ScheduleEvent | NodeSkipped | ExecutionCompleted> {
  const seeds = state.topology.order.filter((id) => state.nodes[id].status === 'pending');
  return propagate(state, new Map(), seeds, (id) => state.nodes[id].output, 0, now);
}

function propagate(
  state: ActiveExecution,
  decided: Map<string, NodeStatus>,
  seeds: readonly string[],
  outputOf: (id: string) => unknown,
  extraCost: number,
  now: string,
): Array<ScheduleEvent | NodeSkipped | ExecutionCompleted> {
  const { topology } = state;
  // Statuses decided in this pass, read before the state's: the state lags the events we emit.
  const statusOf = (id: string): NodeStatus => decided.get(id) ?? state.nodes[id].status;

  const events: Array<ScheduleEvent | NodeSkipped | ExecutionCompleted> = [];
  const queue: string[] = [];
  for (const id of seeds) insertByRank(queue, id, topology.rank);
  const lookAtChildren = (id: string): void => {
    for (const edge of topology.outgoing[id]) insertByRank(queue, edge.to, topology.rank);
  };

  while (queue.length > 0) {
    const nodeId = queue.shift() as string;
    if (statusOf(nodeId) !== 'pending') continue;
    const incoming = topology.incoming[nodeId];
    let anyTaken = incoming.length === 0;
    let waiting = false;
    for (const edge of incoming) {
      const parentStatus = statusOf(edge.from);
      if (!isResolved(parentStatus)) {
        waiting = true;
        break;
      }
      if (parentStatus === 'succeeded') {
        const taken = takenEdges(topology.nodes[edge.from], outputOf(edge.from), topology.outgoing[edge.from]);
        anyTaken ||= taken.includes(edge);
      }
    }
    if (waiting) continue;
    if (anyTaken) {
      decided.set(nodeId, 'scheduled');
      events.push(...scheduleNode(state, nodeId, state.nodes[nodeId].attempts + 1, now));
    } else {
      decided.set(nodeId, 'skipped');
      events.push({ type: 'NodeSkipped', data: { nodeId, skippedAt: now } });
      lookAtChildren(nodeId);
    }
  }

  if (topology.order.every((id) => isResolved(statusOf(id)))) {
    const outputNodes = topology.order.filter((id) => topology.nodes[id].type === 'output' && statusOf(id) === 'succeeded');
    events.push({
      type: 'ExecutionCompleted',
      data: {
        output: executionOutput(outputNodes, outputOf),
        completedAt: now,
        durationMs: elapsedMs(state.startedAt, now),
        totalCost: state.totalCost + extraCost,
      },
    });
  }
  return events;
}

/**
 * The execution's output: the output of its succeeded `output` node; with several, an object keyed
 * by node id (in graph order); with none (every output node skipped, or none in the graph), null.
 * Null rather than "the last node's output", which would depend on which parallel branch happened
 * to finish last and leak intermediate data the workflow never declared as its result.
 */
function executionOutput(outputNodes: readonly string[], outputOf: (id: string) => unknown): unknown {
  if (outputNodes.length === 0) return null;
  if (outputNodes.length === 1) return outputOf(outputNodes[0]);
  return Object.fromEntries(outputNodes.map((id) => [id, outputOf(id)]));
}
