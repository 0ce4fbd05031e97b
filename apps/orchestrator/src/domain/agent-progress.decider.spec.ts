import type { AgentToolCalled, AgentTurnCompleted, ExecutionEvent, NodeError } from '@flowstack/contracts';
import type { RecordAgentToolCall, RecordAgentTurn } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { agentProgressOf } from './agent-progress.decider';
import { at, executionStarted, failNode, given, graphOf, node, nodeScheduled, ran, taskId } from './execution.fixtures';

// in -> ask (agent_call), retried up to 3 attempts.
const graph = {
  ...graphOf([node('in', 'input'), node('ask', 'agent_call')], [['in', 'ask']]),
  defaults: { retry: { maxAttempts: 3, initialIntervalMs: 1000, backoffCoefficient: 1 } },
};
const usage = { inputTokens: 10, outputTokens: 5, model: 'gpt-4o-mini' };
const asking: ExecutionEvent[] = [
  executionStarted(graph, at(0)),
  ...ran('in', 'inline', 1),
  nodeScheduled('ask', 'remote', at(1)),
];

const turn = (step: number, attempt = 1, now = at(step + 1)): RecordAgentTurn => ({
  type: 'RecordAgentTurn',
  data: {
    nodeId: 'ask',
    attempt,
    taskId: taskId('ask', attempt),
    step,
    message: { role: 'assistant', text: '', toolCalls: [{ id: `call_${step}`, name: 'noop', arguments: { n: step } }] },
    usage,
    cost: 4,
    priced: true,
    stopReason: 'tool_use',
    now,
  },
});
const turnCompleted = (step: number, attempt = 1): AgentTurnCompleted => {
  const { now, ...data } = turn(step, attempt).data;
  return { type: 'AgentTurnCompleted', data: { ...data, completedAt: now } };
};
const toolCall = (step: number, attempt = 1): RecordAgentToolCall => ({
  type: 'RecordAgentToolCall',
  data: {
    nodeId: 'ask',
    attempt,
    taskId: taskId('ask', attempt),
    step,
    toolCallId: `call_${step}`,
    tool: 'noop',
    arguments: { n: step },
    result: { n: step },
    durationMs: 2,
    now: at(step + 2),
  },
});
const toolCalled = (step: number, attempt = 1): AgentToolCalled => {
  const { now, ...data } = toolCall(step, attempt).data;
  return { type: 'AgentToolCalled', data: { ...data, calledAt: now } };
};

describe('recording agent turns', () => {
  it('records the next turn of the node at work', () => {
    given(...asking)
      .when(turn(1))
      .then([turnCompleted(1)]);
    given(...asking, turnCompleted(1), toolCalled(1))
      .when(turn(2))
      .then([turnCompleted(2)]);
  });

  it('records a turn once: the same step again is a no-op (a redelivered task, a replayed request)', () => {
    given(...asking, turnCompleted(1))
      .when(turn(1))
      .thenNothingHappened();
    given(...asking, turnCompleted(1), turnCompleted(2))
      .when(turn(1))
      .thenNothingHappened();
  });

  it('refuses a turn that skips a step', () => {
    given(...asking, turnCompleted(1))
      .when(turn(3))
      .thenThrows('turn_out_of_order', "node 'ask' has 1 recorded turns; turn 3 cannot come next");
  });

  it('ignores a turn of a superseded attempt or a finished execution', () => {
    const error: NodeError = { code: 'rate_limited', message: '429', retryable: true };
    const failedOnce = [...asking, ...decideAll(asking, failNode('ask', error, { now: at(3) }))];
    given(...failedOnce)
      .when(turn(1))
      .thenNothingHappened();
    const finished = [...asking, ...decideAll(asking, failNode('ask', { ...error, retryable: false }, { now: at(3) }))];
    given(...finished)
      .when(turn(1))
      .thenNothingHappened();
  });

  it('lets a later attempt go on with the steps an earlier one recorded', () => {
    const error: NodeError = { code: 'rate_limited', message: '429', retryable: true };
    const history = [...asking, turnCompleted(1), toolCalled(1)];
    const retried = [
      ...history,
      ...decideAll(history, failNode('ask', error, { now: at(3) })),
      nodeScheduled('ask', 'remote', at(5), 2),
    ];
    given(...retried)
      .when(turn(1, 2))
      .thenNothingHappened();
    given(...retried)
      .when(turn(2, 2))
      .then([turnCompleted(2, 2)]);
    expect(agentProgressOf(foldEvents(retried) as never, 'ask')).toEqual({ steps: 1, toolCalls: ['1:call_1'] });
  });

  it('refuses a turn for a task of another attempt or an unknown node', () => {
    const wrongTask = { ...turn(1), data: { ...turn(1).data, taskId: taskId('ask', 2) } };
    given(...asking)
      .when(wrongTask)
      .thenThrows('task_mismatch', `task '${taskId('ask', 2)}' does not belong to this execution's node attempt`);
    given(...asking)
      .when({ ...turn(1), data: { ...turn(1).data, nodeId: 'nope' } })
      .thenThrows('unknown_node', "node 'nope' is not in the graph of execution exec-1");
    given().when(turn(1)).thenThrows('execution_not_started', 'RecordAgentTurn needs a started execution');
  });
});

describe('recording agent tool calls', () => {
  it('records a call of a recorded turn, once', () => {
    given(...asking, turnCompleted(1))
      .when(toolCall(1))
      .then([toolCalled(1)]);
    given(...asking, turnCompleted(1), toolCalled(1))
      .when(toolCall(1))
      .thenNothingHappened();
  });

  it('refuses a call of a turn that was not recorded', () => {
    given(...asking)
      .when(toolCall(1))
      .thenThrows('turn_not_recorded', "node 'ask' has no recorded turn 1 for tool call 'call_1'");
  });

  it('changes neither the node nor the total: only the keys', () => {
    const state = foldEvents([...asking, turnCompleted(1), toolCalled(1)]);
    const before = foldEvents(asking);
    expect(state).toMatchObject({ totalCost: 0, nodes: { ask: (before as { nodes: Record<string, unknown> }).nodes.ask } });
  });
});

describe('a failed attempt that spent credits', () => {
  it('records cost and usage on NodeFailed and counts them in the total', () => {
    const error: NodeError = { code: 'max_steps_exceeded', message: 'too many steps', retryable: false };
    const command = failNode('ask', error, { now: at(3) });
    const events = decideAll(asking, { ...command, data: { ...command.data, cost: 12, usage } });
    expect(events[0]).toMatchObject({ type: 'NodeFailed', data: { cost: 12, usage, willRetry: false } });
    expect(events[1]).toMatchObject({ type: 'ExecutionFailed', data: { totalCost: 12 } });
    expect(foldEvents([...asking, ...events])).toMatchObject({ status: 'failed', totalCost: 12 });
  });
});

function decideAll(history: ExecutionEvent[], command: Parameters<typeof decide>[0]): ExecutionEvent[] {
  return decide(command, foldEvents(history));
}
