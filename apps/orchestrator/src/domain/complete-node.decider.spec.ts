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
} from './execution.fixtures';

// in -> fetch -> summarize -> out: one node at a time.
const linear = graphOf(
  [node('in', 'input'), node('fetch', 'tool'), node('summarize', 'agent_call'), node('out', 'output')],
  [
    ['in', 'fetch'],
    ['fetch', 'summarize'],
    ['summarize', 'out'],
  ],
);

// in -> (a, b) -> join -> out: parallel branches and a join.
const diamond = graphOf(
  [node('in', 'input'), node('a', 'tool'), node('b', 'tool'), node('join', 'transform'), node('out', 'output')],
  [
    ['in', 'a'],
    ['in', 'b'],
    ['a', 'join'],
    ['b', 'join'],
    ['join', 'out'],
  ],
);

describe('CompleteNode: progression', () => {
  it('records the result and schedules the next node of a chain', () => {
    given(executionStarted(linear), nodeScheduled('in', 'inline'))
      .when(completeNode('in', { q: 1 }, { now: at(1) }))
      .then([nodeCompleted('in', { q: 1 }, { now: at(1) }), nodeScheduled('fetch', 'remote', at(1))]);
  });

  it('carries the attempt, timings and cost of the result into NodeCompleted', () => {
    given(executionStarted(linear), ...ran('in', 'inline', 1), nodeScheduled('fetch', 'remote'))
      .when(completeNode('fetch', 'page', { startedAt: at(2), finishedAt: at(5), now: at(6), cost: 40 }))
      .then([
        nodeCompleted('fetch', 'page', { startedAt: at(2), finishedAt: at(5), cost: 40 }),
        nodeScheduled('summarize', 'remote', at(6)),
      ]);
  });

  it('records cost 0 when the result carries none', () => {
    given(executionStarted(linear), nodeScheduled('in', 'inline'))
      .when(completeNode('in', 1))
      .then([{ type: 'NodeCompleted', data: { ...nodeCompleted('in', 1).data, cost: 0 } }, nodeScheduled('fetch', 'remote')]);
  });

  it('schedules every branch of a fan-out in the same decision, in graph order', () => {
    given(executionStarted(diamond), nodeScheduled('in', 'inline'))
      .when(completeNode('in', 1))
      .then([nodeCompleted('in', 1), nodeScheduled('a', 'remote'), nodeScheduled('b', 'remote')]);
  });

  it('orders siblings by declaration, not by edge order', () => {
    const graph = graphOf(
      [node('in', 'input'), node('first', 'tool'), node('second', 'tool')],
      [
        ['in', 'second'],
        ['in', 'first'],
      ],
    );
    given(executionStarted(graph), nodeScheduled('in', 'inline'))
      .when(completeNode('in', 1))
      .then([nodeCompleted('in', 1), nodeScheduled('first', 'remote'), nodeScheduled('second', 'remote')]);
  });

  it('keeps a join waiting while one of its parents runs', () => {
    given(executionStarted(diamond), ...ran('in', 'inline', 1), nodeScheduled('a', 'remote'), nodeScheduled('b', 'remote'))
      .when(completeNode('b', 'B'))
      .then([nodeCompleted('b', 'B')]);
  });

  it('schedules a join once, when its last parent succeeds', () => {
    given(
      executionStarted(diamond),
      ...ran('in', 'inline', 1),
      nodeScheduled('a', 'remote'),
      nodeScheduled('b', 'remote'),
      nodeCompleted('b', 'B'),
    )
      .when(completeNode('a', 'A', { now: at(3) }))
      .then([nodeCompleted('a', 'A', { now: at(3) }), nodeScheduled('join', 'inline', at(3))]);
  });
});

describe('CompleteNode: duplicates and stale results', () => {
  const fetchRunning = [executionStarted(linear), ...ran('in', 'inline', 1), nodeScheduled('fetch', 'remote')];

  it('does nothing for a result that was already recorded (redelivery)', () => {
    given(...fetchRunning, nodeCompleted('fetch', 'page'), nodeScheduled('summarize', 'remote'))
      .when(completeNode('fetch', 'page'))
      .thenNothingHappened();
  });

  it('does nothing for a second parent result that already scheduled the join', () => {
    given(
      executionStarted(diamond),
      ...ran('in', 'inline', 1),
      nodeScheduled('a', 'remote'),
      nodeScheduled('b', 'remote'),
      nodeCompleted('b', 'B'),
      nodeCompleted('a', 'A'),
      nodeScheduled('join', 'inline'),
    )
      .when(completeNode('b', 'B'))
      .thenNothingHappened();
  });

  it('does nothing for a result of a superseded attempt', () => {
    given(...fetchRunning, nodeScheduled('fetch', 'remote', at(9), 2))
      .when(completeNode('fetch', 'late', { attempt: 1 }))
      .thenNothingHappened();
  });

  it('does nothing for a result of an attempt that was never scheduled', () => {
    given(...fetchRunning)
      .when(completeNode('fetch', 'early', { attempt: 2 }))
      .thenNothingHappened();
  });

  it('does nothing for a node that was never scheduled', () => {
    given(...fetchRunning)
      .when(completeNode('summarize', 'too soon'))
      .thenNothingHappened();
  });
});

describe('CompleteNode: refused', () => {
  it('on an execution that has not started', () => {
    given().when(completeNode('in', 1)).thenThrows('execution_not_started', 'CompleteNode needs a started execution');
  });

  it('for a node that is not in the graph', () => {
    given(executionStarted(linear), nodeScheduled('in', 'inline'))
      .when(completeNode('ghost', 1))
      .thenThrows('unknown_node', "node 'ghost' is not in the graph of execution exec-1");
  });

  it("for a task id that is not this execution's node attempt", () => {
    const command = completeNode('in', 1);
    given(executionStarted(linear), nodeScheduled('in', 'inline'))
      .when({ ...command, data: { ...command.data, taskId: 'exec-2:in:1' } })
      .thenThrows('task_mismatch', "task 'exec-2:in:1' does not belong to this execution's node attempt");
  });
});
