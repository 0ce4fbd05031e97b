import type { ExecutionEvent, NodeCostCap } from '@flowstack/contracts';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import type { RecordHold } from './execution.commands';
import {
  at,
  completeNode,
  executionStarted,
  given,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  ran,
  startExecution,
  taskId,
} from './execution.fixtures';

// in -> ask (agent_call, costed) -> out
const graph = graphOf(
  [node('in', 'input'), node('ask', 'agent_call'), node('fetch', 'tool'), node('out', 'transform')],
  [
    ['in', 'ask'],
    ['in', 'fetch'],
    ['ask', 'out'],
    ['fetch', 'out'],
  ],
);
const caps: Record<string, NodeCostCap> = { ask: { maxCost: 5000 }, fetch: { maxCost: 300, price: 300 } };
const started: ExecutionEvent = {
  ...executionStarted(graph, at(0)),
  data: { ...executionStarted(graph, at(0)).data, costCaps: caps },
} as ExecutionEvent;
const scheduled: ExecutionEvent[] = [
  started,
  ...ran('in', 'inline', {}),
  nodeScheduled('ask', 'remote', at(1)),
  nodeScheduled('fetch', 'remote', at(1)),
];

const recordHold = (
  nodeId: string,
  outcome: 'held' | 'refused',
  amount: number,
  attempt = 1,
  available = 10_000,
): RecordHold => ({
  type: 'RecordHold',
  data: { nodeId, attempt, holdId: taskId(nodeId, attempt), amount, outcome, available, now: at(2) },
});
const costHeld = (nodeId: string, amount: number, attempt = 1): ExecutionEvent => ({
  type: 'NodeCostHeld',
  data: { nodeId, attempt, holdId: taskId(nodeId, attempt), amount, heldAt: at(2) },
});

describe('credits at dispatch (RecordHold, costCaps)', () => {
  it('records the price snapshot on ExecutionStarted, and nothing when no node costs', () => {
    const events = decide(
      { ...startExecution(graph, at(0)), data: { ...startExecution(graph, at(0)).data, costCaps: caps } },
      foldEvents([]),
    );
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', data: { costCaps: caps } });
    const free = decide(
      { ...startExecution(graph, at(0)), data: { ...startExecution(graph, at(0)).data, costCaps: {} } },
      foldEvents([]),
    );
    expect(free[0].data).not.toHaveProperty('costCaps');
  });

  it('a held attempt records NodeCostHeld', () => {
    given(...scheduled)
      .when(recordHold('ask', 'held', 5000))
      .then([costHeld('ask', 5000)]);
  });

  it('a hold recorded already is a no-op (re-decision, redelivery)', () => {
    given(...scheduled, costHeld('ask', 5000))
      .when(recordHold('ask', 'held', 5000))
      .thenNothingHappened();
  });

  it('a hold for an attempt the node no longer waits on is a no-op', () => {
    given(...scheduled, costHeld('ask', 5000), nodeCompleted('ask', 'done', { now: at(3) }))
      .when(recordHold('ask', 'held', 5000))
      .thenNothingHappened();
    given(...scheduled)
      .when(recordHold('ask', 'held', 5000, 2))
      .thenNothingHappened();
  });

  it('a refused hold fails the node and the run with insufficient_credits, never retried', () => {
    const error = {
      code: 'insufficient_credits',
      message: "node 'ask' needs up to 5000 micro-credits and the workspace has 120 available",
      retryable: false,
      details: { required: 5000, available: 120 },
    };
    given(...scheduled)
      .when(recordHold('ask', 'refused', 5000, 1, 120))
      .then([
        {
          type: 'NodeFailed',
          data: { nodeId: 'ask', attempt: 1, taskId: taskId('ask'), error, failedAt: at(2), willRetry: false },
        },
        {
          type: 'ExecutionFailed',
          data: { error: { ...error, nodeId: 'ask' }, failedAt: at(2), durationMs: 2000, totalCost: 0 },
        },
      ]);
  });

  it('a hold on a finished run is a no-op', () => {
    const refused = decide(recordHold('ask', 'refused', 5000, 1, 0), foldEvents(scheduled));
    given(...scheduled, ...refused)
      .when(recordHold('fetch', 'held', 300))
      .thenNothingHappened();
  });

  it("the fold keeps the attempt's hold, and a new attempt starts without one", () => {
    const state = foldEvents([...scheduled, costHeld('ask', 5000)]);
    expect(state.status === 'running' && state.nodes.ask.hold).toEqual({ holdId: taskId('ask'), amount: 5000, attempt: 1 });
    const again = foldEvents([...scheduled, costHeld('ask', 5000), nodeScheduled('ask', 'remote', at(5), 2)]);
    expect(again.status === 'running' && again.nodes.ask.hold).toBeUndefined();
  });

  it("a priced tool's completion costs its price on top of what it reported", () => {
    const events = decide(
      completeNode('fetch', { ok: true }, { now: at(3), cost: 0 }),
      foldEvents([...scheduled, costHeld('fetch', 300)]),
    );
    expect(events[0]).toMatchObject({ type: 'NodeCompleted', data: { nodeId: 'fetch', cost: 300 } });
    const agent = decide(
      completeNode('ask', 'hi', { now: at(3), cost: 1027 }),
      foldEvents([...scheduled, costHeld('ask', 5000)]),
    );
    expect(agent[0]).toMatchObject({ type: 'NodeCompleted', data: { nodeId: 'ask', cost: 1027 } });
  });

  it('refuses a hold for a node that is not in the graph', () => {
    given(...scheduled)
      .when(recordHold('nope', 'held', 1))
      .thenThrows('unknown_node', "node 'nope' is not in the graph of execution exec-1");
  });
});
