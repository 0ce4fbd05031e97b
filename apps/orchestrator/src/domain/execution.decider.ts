/**
 * `decide(command, state) -> events`: the execution's rules as one pure function. No clock, no
 * ids, no I/O: everything arrives in the command, so re-running it after a version conflict gives
 * the same events. "Already done" returns `[]`, which is what makes redelivered results harmless.
 */
import type { ExecutionEvent } from '@flowstack/contracts';
import type { CompleteNode, ExecutionCommand, FailNode, StartExecution } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { assertNever, isActive, nodeOf } from './execution.state';
import type { ActiveExecution, ExecutionState, StartedExecution } from './execution.state';
import { buildTopology, graphProblems } from './graph.topology';
import { advance, elapsedMs, expectedTaskId, scheduleNode } from './execution.scheduling';
import { valueBudgetError } from './value-budget';

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
  return [started, scheduleNode(core, graph.entry_point, 1, now)];
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
  return [
    { type: 'NodeCompleted', data: { nodeId, attempt, taskId, output, startedAt, completedAt, durationMs, cost, ...size } },
    ...advance(current, { nodeId, output, cost }, now),
  ];
}

function failNode(command: FailNode, state: ExecutionState): ExecutionEvent[] {
  const current = acceptingResult(command, state);
  return current ? failed(current, command.data) : [];
}

/** `NodeFailed` and `ExecutionFailed`: until retry policies arrive, a failed node fails the execution. */
function failed(current: ActiveExecution, data: FailNode['data']): ExecutionEvent[] {
  const { nodeId, attempt, taskId, error, startedAt, failedAt, durationMs, now } = data;
  // Optional fields stay absent rather than `undefined`, so the stored JSON matches the contract.
  const timing = {
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(durationMs === undefined ? {} : { durationMs }),
  };
  return [
    { type: 'NodeFailed', data: { nodeId, attempt, taskId, error, ...timing, failedAt, willRetry: false } },
    {
      type: 'ExecutionFailed',
      data: {
        error: { ...error, nodeId },
        failedAt: now,
        durationMs: elapsedMs(current.startedAt, now),
        totalCost: current.totalCost,
      },
    },
  ];
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
  const waiting = node.status === 'scheduled' || node.status === 'running';
  return waiting && node.attempts === attempt ? started : undefined;
}

function mustBeStarted(command: ExecutionCommand, state: ExecutionState): StartedExecution {
  if (state.status !== 'pending') return state;
  throw new ExecutionRuleViolation('execution_not_started', `${command.type} needs a started execution`);
}
