/**
 * The durable agent loop's rules: a tool-runner records each LLM turn and each tool call of an
 * `agent_call` attempt as it finishes. Idempotent by key: a turn by (node, step), a tool call by
 * (node, step, toolCallId); a second record of the same key is `[]`. Records of an attempt the
 * node no longer waits on (superseded, or the execution finished) are `[]` too: only the attempt
 * at work writes the conversation that later attempts resume.
 */
import type { ExecutionEvent } from '@flowstack/contracts';
import type { RecordAgentToolCall, RecordAgentTurn } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { isActive, nodeOf, type AgentProgressKeys, type ExecutionState, type StartedExecution } from './execution.state';
import { expectedTaskId } from './execution.scheduling';

const NO_PROGRESS: AgentProgressKeys = { steps: 0, toolCalls: [] };

/** The recorded keys of a node's agent loop (none yet: zero steps). */
export const agentProgressOf = (state: StartedExecution, nodeId: string): AgentProgressKeys =>
  (state.agentProgress && Object.hasOwn(state.agentProgress, nodeId) ? state.agentProgress[nodeId] : undefined) ?? NO_PROGRESS;

export function recordAgentTurn({ data }: RecordAgentTurn, state: ExecutionState): ExecutionEvent[] {
  const started = workingAttempt('RecordAgentTurn', data, state);
  if (!started) return [];
  const { now, ...turn } = data;
  const { steps } = agentProgressOf(started, data.nodeId);
  if (data.step <= steps) return [];
  if (data.step !== steps + 1) {
    throw new ExecutionRuleViolation(
      'turn_out_of_order',
      `node '${data.nodeId}' has ${steps} recorded turns; turn ${data.step} cannot come next`,
      { nodeId: data.nodeId, step: data.step, recorded: steps },
    );
  }
  return [{ type: 'AgentTurnCompleted', data: { ...turn, completedAt: now } }];
}

export function recordAgentToolCall({ data }: RecordAgentToolCall, state: ExecutionState): ExecutionEvent[] {
  const started = workingAttempt('RecordAgentToolCall', data, state);
  if (!started) return [];
  const { now, ...call } = data;
  const progress = agentProgressOf(started, data.nodeId);
  if (progress.toolCalls.includes(`${data.step}:${data.toolCallId}`)) return [];
  if (data.step > progress.steps) {
    throw new ExecutionRuleViolation(
      'turn_not_recorded',
      `node '${data.nodeId}' has no recorded turn ${data.step} for tool call '${data.toolCallId}'`,
      { nodeId: data.nodeId, step: data.step, recorded: progress.steps },
    );
  }
  return [{ type: 'AgentToolCalled', data: { ...call, calledAt: now } }];
}

/** The started state when the node is at work on this attempt; undefined when the record is old news. */
function workingAttempt(
  command: string,
  data: { nodeId: string; attempt: number; taskId: string },
  state: ExecutionState,
): StartedExecution | undefined {
  if (state.status === 'pending') {
    throw new ExecutionRuleViolation('execution_not_started', `${command} needs a started execution`);
  }
  const node = nodeOf(state, data.nodeId);
  if (!node) {
    const message = `node '${data.nodeId}' is not in the graph of execution ${state.executionId}`;
    throw new ExecutionRuleViolation('unknown_node', message, { nodeId: data.nodeId });
  }
  const expected = expectedTaskId(state.executionId, data.nodeId, data.attempt);
  if (data.taskId !== expected) {
    const message = `task '${data.taskId}' does not belong to this execution's node attempt`;
    throw new ExecutionRuleViolation('task_mismatch', message, { taskId: data.taskId, expected });
  }
  if (!isActive(state)) return undefined;
  const working = (node.status === 'scheduled' || node.status === 'running') && node.attempts === data.attempt;
  return working ? state : undefined;
}

/** The node's keys after one recorded event (for `evolve`). */
export function withAgentRecord(
  state: StartedExecution,
  event: Extract<ExecutionEvent, { type: 'AgentTurnCompleted' | 'AgentToolCalled' }>,
): StartedExecution {
  const { nodeId, step } = event.data;
  const current = agentProgressOf(state, nodeId);
  const next: AgentProgressKeys =
    event.type === 'AgentTurnCompleted'
      ? { ...current, steps: Math.max(current.steps, step) }
      : { ...current, toolCalls: [...current.toolCalls, `${step}:${event.data.toolCallId}`] };
  return { ...state, agentProgress: { ...state.agentProgress, [nodeId]: next } };
}
