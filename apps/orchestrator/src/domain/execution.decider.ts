/**
 * `decide(command, state) -> events`: the execution's rules as one pure function. No clock, no
 * ids, no I/O: everything arrives in the command, so re-running it after a version conflict gives
 * the same events. "Already done" returns `[]`, which is what makes redelivered results harmless.
 */
import type { ExecutionEvent } from '@flowstack/contracts';
import type { CompleteNode, ExecutionCommand, FailNode, FireTimer, StartExecution } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { assertNever, isActive, nodeOf } from './execution.state';
import type { ActiveExecution, ExecutionState, StartedExecution } from './execution.state';
import { retryPlan, retryPolicyOf } from './retry.policy';
import { buildTopology, graphProblems } from './graph.topology';
import { advance, elapsedMs, expectedTaskId, scheduleNode } from './execution.scheduling';
import { valueBudgetError } from './value-budget';
import { approvalTimedOut, cancelExecution, decideApproval } from './control.decider';
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
    case 'RecordAgentTurn':
      return recordAgentTurn(command, state);
    case 'RecordAgentToolCall':
      return recordAgentToolCall(command, state);
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
  const { executionId, workspaceId, workflowId, workflowVersion, graph, input, trigger, now } = data;
  const started: ExecutionEvent = {
    type: 'ExecutionStarted',
    data: { executionId, workspaceId, workflowId, workflowVersion, graph, input, startedAt: now, trigger },
  };
  // The entry point needs only what the command carries, not a folded state: build just enough.
  const core = { executionId, topology: buildTopology(graph) };
  return [started, ...scheduleNode(core, graph.entry_point, 1, now)];
}

function completeNode(command: CompleteNode, state: ExecutionState): ExecutionEvent[] {
  const current = acceptingResult(command, state);
  if (!current) return [];
  const { nodeId, attempt, taskId, output, startedAt, completedAt, durationMs, outputBytes, valueBudgetBytes, now } =
    command.data;
  if (outputBytes !== undefined && valueBudgetBytes !== undefined) {
    // The budget counts what earlier completions recorded, so a replay decides the same.
    const error = valueBudgetError(nodeId, current.valueBytes, outputBytes, valueBudgetBytes);
    if (error) return failed(current, { nodeId, attempt, taskId, error, startedAt, failedAt: completedAt, durationMs, now });
  }
  const cost = command.data.cost ?? 0;
  const size = outputBytes === undefined ? {} : { outputBytes };
  const usage = command.data.usage ? { usage: command.data.usage } : {};
  return [
    {
      type: 'NodeCompleted',
      data: { nodeId, attempt, taskId, output, startedAt, completedAt, durationMs, cost, ...usage, ...size },
    },
    ...advance(current, { nodeId, output, cost }, now),
  ];
}

function failNode(command: FailNode, state: ExecutionState): ExecutionEvent[] {
  const current = acceptingResult(command, state);
  return current ? failed(current, command.data) : [];
}

/**
 * A failed attempt: `NodeFailed {willRetry: true}` and `NodeRetryScheduled` when the node's retry
 * policy allows another attempt, else `NodeFailed {willRetry: false}` and `ExecutionFailed`.
 */
function failed(current: ActiveExecution, data: FailNode['data']): ExecutionEvent[] {
  const { nodeId, attempt, taskId, error, startedAt, failedAt, durationMs, now } = data;
  // Optional fields stay absent rather than `undefined`, so the stored JSON matches the contract.
  const timing = {
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
    // What a failed attempt spent anyway (an agent's turns) is recorded and counted in the total.
    ...(data.cost ? { cost: data.cost } : {}),
    ...(data.usage === undefined ? {} : { usage: data.usage }),
  };
  const retry = retryPlan(retryPolicyOf(current, nodeId), nodeId, attempt, error, now, data.random ?? 0);
  if (retry) {
    const { attempt: next, timerId, dueAt, delayMs } = retry;
    return [
      {
        type: 'NodeFailed',
        data: { nodeId, attempt, taskId, error, ...timing, failedAt, willRetry: true, nextAttempt: { attempt: next, dueAt } },
      },
      { type: 'NodeRetryScheduled', data: { nodeId, attempt: next, timerId, dueAt, delayMs } },
    ];
  }
  return [
    { type: 'NodeFailed', data: { nodeId, attempt, taskId, error, ...timing, failedAt, willRetry: false } },
    {
      type: 'ExecutionFailed',
      data: {
        error: { ...error, nodeId },
        failedAt: now,
        durationMs: elapsedMs(current.startedAt, now),
        totalCost: current.totalCost + (data.cost ?? 0),
      },
    },
  ];
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
  const timer = node.timer;
  if (!isActive(started) || timer?.timerId !== timerId) return [];
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
  // A delay node is completed by its timer alone, a gate by its decision: never by a result.
  if (node.mode === 'timer' || node.mode === 'gate') return undefined;
  const waiting = node.status === 'scheduled' || node.status === 'running';
  return waiting && node.attempts === attempt ? started : undefined;
}

function mustBeStarted(command: ExecutionCommand, state: ExecutionState): StartedExecution {
  if (state.status !== 'pending') return state;
  throw new ExecutionRuleViolation('execution_not_started', `${command.type} needs a started execution`);
}
