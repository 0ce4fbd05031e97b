/**
 * The `sub_workflow` node: a `child_start` timer (armed with the attempt's `NodeScheduled`) has the
 * sub-workflow service start a child execution, recorded here as `ChildExecutionStarted`; the
 * child's end settles the attempt. See README.md beside this file.
 */
import type { ExecutionEvent, NodeError } from '@flowstack/contracts';
import type { ExecutionCommand, RecordChildStart, SettleChild } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { isActive, nodeOf } from './execution.state';
import type { ExecutionState, NodeState, StartedExecution } from './execution.state';
import { advance, elapsedMs, expectedTaskId } from './execution.scheduling';
import { failed } from './node-failure';

/**
 * How deep children may nest: a child of a top-level run has depth 1, and a `sub_workflow` node of
 * an execution at this depth fails with `sub_workflow_depth_exceeded` instead of starting one (a
 * workflow that calls itself ends there, not in a runaway).
 */
export const MAX_SUB_WORKFLOW_DEPTH = 5;

/** The depth a child of `state` would have. */
export const childDepthOf = (state: Pick<StartedExecution, 'parent'>): number => (state.parent?.depth ?? 0) + 1;

export function recordChildStart(command: RecordChildStart, state: ExecutionState): ExecutionEvent[] {
  const { nodeId, timerId, outcome, now } = command.data;
  const started = mustBeStarted(command, state);
  const node = childNode(started, nodeId);
  const timer = node.timer;
  if (!isActive(started) || node.status !== 'scheduled' || timer?.kind !== 'child_start' || timer.timerId !== timerId) return [];
  const fired: ExecutionEvent = {
    type: 'TimerFired',
    data: { timerId, kind: 'child_start', nodeId, attempt: timer.attempt, dueAt: timer.dueAt, firedAt: now },
  };
  if ('error' in outcome) {
    const taskId = expectedTaskId(started.executionId, nodeId, timer.attempt);
    const failure = {
      nodeId,
      attempt: timer.attempt,
      taskId,
      error: outcome.error,
      failedAt: now,
      now,
      random: command.data.random,
    };
    return [fired, ...failed(started, failure)];
  }
  const { childExecutionId, workflowId, workflowVersion } = outcome.started;
  return [
    fired,
    {
      type: 'ChildExecutionStarted',
      data: { nodeId, attempt: timer.attempt, childExecutionId, workflowId, workflowVersion, startedAt: now },
    },
  ];
}

export function settleChild(command: SettleChild, state: ExecutionState): ExecutionEvent[] {
  const { nodeId, attempt, childExecutionId, workflowId, workflowVersion, outcome, now } = command.data;
  const started = mustBeStarted(command, state);
  const node = childNode(started, nodeId);
  const waiting = node.status === 'scheduled' || node.status === 'running';
  if (!isActive(started) || !waiting || node.attempts !== attempt) return [];
  // A child that ended before its start was recorded (all inline: it finishes in its first
  // append) is recorded now; the `child_start` firing that follows finds nothing to do.
  const recorded = started.children?.some((c) => c.nodeId === nodeId && c.attempt === attempt) ?? false;
  const head: ExecutionEvent[] = [];
  if (!recorded) {
    const startedAt = command.data.startedAt;
    head.push({
      type: 'ChildExecutionStarted',
      data: { nodeId, attempt, childExecutionId, workflowId, workflowVersion, startedAt },
    });
  }
  const taskId = expectedTaskId(started.executionId, nodeId, attempt);
  const startedAt = node.startedAt ?? command.data.startedAt;
  const durationMs = elapsedMs(startedAt, command.data.finishedAt);
  if (outcome === 'completed') {
    const output = command.data.output ?? null;
    return [
      ...head,
      {
        type: 'NodeCompleted',
        data: { nodeId, attempt, taskId, output, startedAt, completedAt: command.data.finishedAt, durationMs, cost: 0 },
      },
      ...advance(started, { nodeId, output, cost: 0 }, now),
    ];
  }
  const error = childError(command.data);
  const failure = {
    nodeId,
    attempt,
    taskId,
    error,
    startedAt,
    failedAt: command.data.finishedAt,
    durationMs,
    now,
    random: command.data.random,
  };
  return [...head, ...failed(started, failure)];
}

function childError({ outcome, childExecutionId, error }: SettleChild['data']): NodeError {
  if (outcome === 'cancelled') {
    return {
      code: 'child_cancelled',
      message: `child execution ${childExecutionId} was cancelled`,
      retryable: false,
      details: { childExecutionId },
    };
  }
  return {
    code: 'child_failed',
    message: `child execution ${childExecutionId} failed: ${error?.message ?? 'unknown error'}`,
    // The node's retry policy decides (a new child per attempt); `nonRetryableErrorCodes: ["child_failed"]` opts out.
    retryable: true,
    details: { childExecutionId, childError: error ?? null },
  };
}

function mustBeStarted(command: ExecutionCommand, state: ExecutionState): StartedExecution {
  if (state.status !== 'pending') return state;
  throw new ExecutionRuleViolation('execution_not_started', `${command.type} needs a started execution`);
}

function childNode(state: StartedExecution, nodeId: string): NodeState {
  const node = nodeOf(state, nodeId);
  if (!node) {
    const message = `node '${nodeId}' is not in the graph of execution ${state.executionId}`;
    throw new ExecutionRuleViolation('unknown_node', message, { nodeId });
  }
  return node;
}
