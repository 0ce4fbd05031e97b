/**
 * `decide(command, state) -> events`: the execution's rules as one pure function. No clock, no
 * ids, no I/O: everything arrives in the command, so re-running it after a version conflict gives
 * the same events. "Already done" returns `[]`, which is what makes redelivered results harmless.
 */
import type { ExecutionEvent } from '@flowstack/contracts';
import type { CompleteNode, ExecutionCommand, FailNode, FireTimer, RecordHold, StartExecution } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { assertNever, isActive, nodeOf } from './execution.state';
import type { ActiveExecution, ExecutionState, FailedExecution, StartedExecution } from './execution.state';
import { recordChildStart, settleChild } from './sub-workflow.decider';
import { scheduleToCloseTimeoutOf } from './retry.policy';
import { failed } from './node-failure';
import { buildTopology, graphProblems } from './graph.topology';
import { advance, elapsedMs, expectedTaskId, scheduleNode } from './execution.scheduling';
import { valueBudgetError } from './value-budget';
import { approvalTimedOut, cancelExecution, decideApproval } from './control.decider';
import { copiedEvents, forkStart, retryExecution } from './retry-execution.decider';
import { recordAgentToolCall, recordAgentTurn } from './agent-progress.decider';

/**
 * The events `command` produces against `state`; `[]` when it changes nothing.
 *
 * @throws ExecutionRuleViolation for a command that can never make sense here: a node command on
 *   an execution that has not started, an unknown node, a task id of another execution or attempt,
 *   or a `StartExecution` whose graph cannot be walked.
 */
export function decide(command: ExecutionCommand, state: ExecutionState): ExecutionEvent[] {
  switch (command.type) {
    case 'StartExecution':
      return startExecution(command, state);
    case 'CompleteNode':
      return completeNode(command, state);
    case 'FailNode':
      return failNode(command, state);
    case 'FireTimer':
      return fireTimer(command, state);
    case 'CancelExecution':
      return cancelExecution(command, state);
    case 'DecideApproval':
      return decideApproval(command, state);
    case 'RecordHold':
      return recordHold(command, state);
    case 'RetryExecution':
      return retryExecution(command, state);
    case 'RecordAgentTurn':
      return recordAgentTurn(command, state);
    case 'RecordAgentToolCall':
      return recordAgentToolCall(command, state);
    case 'RecordChildStart':
      return recordChildStart(command, state);
    case 'SettleChild':
      return settleChild(command, state);
    default:
      return assertNever(command);
  }
}

function startExecution({ data }: StartExecution, state: ExecutionState): ExecutionEvent[] {
  if (state.status !== 'pending') return [];
  const problems = graphProblems(data.graph);
  if (problems.length > 0) {
    const message = `workflow graph cannot run: ${problems.join('; ')}`;
    throw new ExecutionRuleViolation('invalid_graph', message, { problems });
  }
  const { executionId, workspaceId, workflowId, workflowVersion, graph, input, trigger, now, fork } = data;
  const costCaps = data.costCaps && Object.keys(data.costCaps).length > 0 ? { costCaps: data.costCaps } : {};
  const forkedFrom = fork ? { forkedFrom: { executionId: fork.executionId, fromNodeId: fork.fromNodeId } } : {};
  const { parent } = data;
  const child = parent
    ? { parentId: parent.executionId, parent: { nodeId: parent.nodeId, attempt: parent.attempt, depth: parent.depth } }
    : {};
  const started: ExecutionEvent = {
    type: 'ExecutionStarted',
    data: {
      executionId,
      workspaceId,
      workflowId,
      workflowVersion,
      graph,
      input,
      startedAt: now,
      trigger,
      ...costCaps,
      ...forkedFrom,
      ...child,
    },
  };
  if (fork) {
    // A fork: the copied results first, then whatever they leave ready (at least `fromNodeId`).
    const head = [started, ...copiedEvents(executionId, fork)];
    return [...head, ...forkStart(head, now)];
  }
  // The entry point needs only what the command carries, not a folded state: build just enough.
  const core = { executionId, graph, topology: buildTopology(graph) };
  return [started, ...scheduleNode(core, graph.entry_point, 1, now)];
}

function completeNode(command: CompleteNode, state: ExecutionState): ExecutionEvent[] {
  const current = acceptingResult(command, state) ?? lateResult(command, state);
  if (!current) return [];
  const { nodeId, attempt, taskId, output, startedAt, completedAt, durationMs, outputBytes, valueBudgetBytes, now } =
    command.data;
  if (outputBytes !== undefined && valueBudgetBytes !== undefined) {
    // The budget counts what earlier completions recorded, so a replay decides the same.
    const error = valueBudgetError(nodeId, current.valueBytes, outputBytes, valueBudgetBytes);
    if (error) {
      if (current.status === 'failed') return [];
      return failed(current, { nodeId, attempt, taskId, error, startedAt, failedAt: completedAt, durationMs, now });
    }
  }
  // A priced tool's fixed price (snapshotted at start) comes on top of what the attempt reported.
  const cost = (command.data.cost ?? 0) + (current.costCaps?.[nodeId]?.price ?? 0);
  const size = outputBytes === undefined ? {} : { outputBytes };
  const usage = command.data.usage ? { usage: command.data.usage } : {};
  const completed: ExecutionEvent = {
    type: 'NodeCompleted',
    data: { nodeId, attempt, taskId, output, startedAt, completedAt, durationMs, cost, ...usage, ...size },
  };
  // A late success in a failed execution is recorded (the work was done, and paid for), and a
  // retry keeps it; nothing downstream starts until then.
  if (current.status === 'failed') return [completed];
  return [completed, ...advance(current, { nodeId, output, cost }, now)];
}

/**
 * A failed execution whose node was still at work on exactly this attempt when another node
 * failed it: the parallel branch's success is kept for a retry (`RetryExecution` then does not run
 * it again). Undefined for everything `acceptingResult` refuses for other reasons.
 */
function lateResult(command: CompleteNode, state: ExecutionState): FailedExecution | undefined {
  if (state.status !== 'failed') return undefined;
  const node = nodeOf(state, command.data.nodeId);
  if (!node || node.mode === 'timer' || node.mode === 'gate' || node.mode === 'child') return undefined;
  const waiting = node.status === 'scheduled' || node.status === 'running';
  return waiting && node.attempts === command.data.attempt ? state : undefined;
}

function failNode(command: FailNode, state: ExecutionState): ExecutionEvent[] {
  const current = acceptingResult(command, state);
  return current ? failed(current, command.data) : [];
}

/**
 * Billing's answer to a scheduled attempt's hold: `NodeCostHeld`, or the node and the execution
 * fail with `insufficient_credits` (never retried: more attempts would be refused the same way).
 * `[]` when the execution finished, the node no longer waits on that attempt, or the hold is
 * recorded already (a re-decision after a conflict, a redelivery).
 */
function recordHold(command: RecordHold, state: ExecutionState): ExecutionEvent[] {
  const { nodeId, attempt, holdId, amount, outcome, available, now } = command.data;
  const started = mustBeStarted(command, state);
  const node = nodeOf(started, nodeId);
  if (!node) {
    const message = `node '${nodeId}' is not in the graph of execution ${started.executionId}`;
    throw new ExecutionRuleViolation('unknown_node', message, { nodeId });
  }
  if (!isActive(started) || node.status !== 'scheduled' || node.attempts !== attempt || node.hold?.attempt === attempt) return [];
  if (outcome === 'held') return [{ type: 'NodeCostHeld', data: { nodeId, attempt, holdId, amount, heldAt: now } }];
  const error = {
    code: 'insufficient_credits',
    message: `node '${nodeId}' needs up to ${amount} micro-credits and the workspace has ${available} available`,
    retryable: false,
    details: { required: amount, available },
  };
  return failed(started, { nodeId, attempt, taskId: node.taskId ?? holdId, error, failedAt: now, now });
}

/**
 * A due timer: the retry's next attempt is scheduled (and dispatched or evaluated by the handler),
 * the delay node completes with its input passed through and what it unlocks is scheduled, or a
 * waiting gate decides its `onTimeout`.
 * `[]` when the node does not wait on this timer (fired already, or superseded) or the execution
 * finished.
 */
function fireTimer(command: FireTimer, state: ExecutionState): ExecutionEvent[] {
  const { timerId, nodeId, now } = command.data;
  const started = mustBeStarted(command, state);
  const node = nodeOf(started, nodeId);
  if (!node) {
    const message = `node '${nodeId}' is not in the graph of execution ${started.executionId}`;
    throw new ExecutionRuleViolation('unknown_node', message, { nodeId });
  }
  if (node.deadline?.timerId === timerId) return isActive(started) ? deadlinePassed(started, nodeId, now) : [];
  const timer = node.timer;
  // A child_start is fired by the sub-workflow service (`RecordChildStart`), never as a plain timer.
  if (!isActive(started) || timer?.timerId !== timerId || timer.kind === 'child_start') return [];
  const fired: ExecutionEvent = {
    type: 'TimerFired',
    data: { timerId, kind: timer.kind, nodeId, attempt: timer.attempt, dueAt: timer.dueAt, firedAt: now },
  };
  if (timer.kind === 'retry') return [fired, ...scheduleNode(started, nodeId, timer.attempt, now)];
  if (timer.kind === 'approval_timeout') return [fired, ...approvalTimedOut(started, nodeId, now)];
  const output = delayOutput(started, nodeId);
  const startedAt = node.scheduledAt ?? now;
  const taskId = expectedTaskId(started.executionId, nodeId, timer.attempt);
  const durationMs = elapsedMs(startedAt, now);
  return [
    fired,
    {
      type: 'NodeCompleted',
      data: { nodeId, attempt: timer.attempt, taskId, output, startedAt, completedAt: now, durationMs, cost: 0 },
    },
    ...advance(started, { nodeId, output, cost: 0 }, now),
  ];
}

/**
 * The node's schedule-to-close timeout passed: `TimerFired`, and unless it finished meanwhile,
 * `NodeFailed` with `timeout` (not retryable: its whole time is up) and `ExecutionFailed`. A
 * running attempt's later result is then ignored (the node is no longer waiting on it).
 */
function deadlinePassed(state: ActiveExecution, nodeId: string, now: string): ExecutionEvent[] {
  const node = state.nodes[nodeId];
  const deadline = node.deadline!;
  const fired: ExecutionEvent = {
    type: 'TimerFired',
    data: {
      timerId: deadline.timerId,
      kind: deadline.kind,
      nodeId,
      attempt: deadline.attempt,
      dueAt: deadline.dueAt,
      firedAt: now,
    },
  };
  const unfinished = node.status === 'scheduled' || node.status === 'running' || node.status === 'retry_scheduled';
  if (!unfinished) return [fired];
  const timeoutMs = scheduleToCloseTimeoutOf(state, nodeId);
  const error = {
    code: 'timeout',
    message: `node '${nodeId}' did not succeed within its schedule-to-close timeout (${timeoutMs} ms)`,
    retryable: false,
    details: { timeout: 'schedule_to_close', timeoutMs },
  };
  const attempt = node.attempts;
  const taskId = expectedTaskId(state.executionId, nodeId, attempt);
  return [fired, ...failed(state, { nodeId, attempt, taskId, error, failedAt: now, now })];
}

/**
 * A delay passes its input through: the output of its one succeeded parent; with several, an
 * object keyed by parent id; as the entry point, the execution's input.
 */
function delayOutput(state: StartedExecution, nodeId: string): unknown {
  const incoming = state.topology.incoming[nodeId];
  if (incoming.length === 0) return state.input;
  const parents = incoming.map((e) => e.from).filter((id) => state.nodes[id].status === 'succeeded');
  if (parents.length === 1) return state.nodes[parents[0]].output;
  return Object.fromEntries(parents.map((id) => [id, state.nodes[id].output]));
}

/**
 * The state a node result applies to, or undefined when the result is old news: the execution
 * finished (results of parallel branches after a failure land here), or the node is not waiting on
 * this attempt (a duplicate delivery, or an attempt that was superseded).
 */
function acceptingResult(command: CompleteNode | FailNode, state: ExecutionState): ActiveExecution | undefined {
  const { nodeId, attempt, taskId } = command.data;
  const started = mustBeStarted(command, state);
  const node = nodeOf(started, nodeId);
  if (!node) {
    const message = `node '${nodeId}' is not in the graph of execution ${started.executionId}`;
    throw new ExecutionRuleViolation('unknown_node', message, { nodeId });
  }
  const expected = expectedTaskId(started.executionId, nodeId, attempt);
  if (taskId !== expected) {
    const message = `task '${taskId}' does not belong to this execution's node attempt`;
    throw new ExecutionRuleViolation('task_mismatch', message, { taskId, expected });
  }
  if (!isActive(started)) return undefined;
  // A delay node is completed by its timer alone, a gate by its decision, a sub-workflow by its
  // child: never by a result.
  if (node.mode === 'timer' || node.mode === 'gate' || node.mode === 'child') return undefined;
  const waiting = node.status === 'scheduled' || node.status === 'running';
  return waiting && node.attempts === attempt ? started : undefined;
}

function mustBeStarted(command: ExecutionCommand, state: ExecutionState): StartedExecution {
  if (state.status !== 'pending') return state;
  throw new ExecutionRuleViolation('execution_not_started', `${command.type} needs a started execution`);
}
