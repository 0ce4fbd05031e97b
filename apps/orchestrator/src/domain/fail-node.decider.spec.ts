import type { ExecutionEvent, NodeError } from '@flowstack/contracts';
import { foldEvents } from './execution.evolve';
import {
  at,
  completeNode,
  executionStarted,
  failNode,
  given,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  ran,
  taskId,
} from './execution.fixtures';

// in -> (a, b) -> join; one attempt per node, so a failure is final (retries: retry.decider.spec.ts)
const diamond = {
  ...graphOf(
    [node('in', 'input'), node('a', 'tool'), node('b', 'tool'), node('join', 'transform')],
    [
      ['in', 'a'],
      ['in', 'b'],
      ['a', 'join'],
      ['b', 'join'],
    ],
  ),
  defaults: { retry: { maxAttempts: 1 } },
};
const timeout: NodeError = { code: 'timeout', message: 'no answer in 30 s', retryable: true };
const bothRunning: ExecutionEvent[] = [
  executionStarted(diamond, at(0)),
  ...ran('in', 'inline', 1),
  nodeScheduled('a', 'remote', at(1)),
  nodeScheduled('b', 'remote', at(1)),
];
const failedOnA: ExecutionEvent[] = [
  {
    type: 'NodeFailed',
    data: {
      nodeId: 'a',
      attempt: 1,
      taskId: taskId('a'),
      error: timeout,
      startedAt: at(1),
      failedAt: at(31),
      durationMs: 30_000,
      willRetry: false,
    },
  },
  {
    type: 'ExecutionFailed',
    data: { error: { ...timeout, nodeId: 'a' }, failedAt: at(32), durationMs: 32_000, totalCost: 0 },
  },
];

describe('FailNode', () => {
  it('records the failure and fails the execution with the node’s error, tagged with the node', () => {
    given(...bothRunning)
      .when(failNode('a', timeout, { startedAt: at(1), finishedAt: at(31), now: at(32) }))
      .then(failedOnA);
  });

  it('reports the cost already spent by succeeded nodes in ExecutionFailed', () => {
    given(
      executionStarted(diamond),
      ...ran('in', 'inline', 1, { cost: 5 }),
      nodeScheduled('a', 'remote'),
      nodeScheduled('b', 'remote'),
      nodeCompleted('b', 'B', { cost: 25 }),
    )
      .when(failNode('a', timeout, { now: at(3) }))
      .then([
        {
          type: 'NodeFailed',
          data: {
            nodeId: 'a',
            attempt: 1,
            taskId: taskId('a'),
            error: timeout,
            startedAt: at(3),
            failedAt: at(3),
            durationMs: 0,
            willRetry: false,
          },
        },
        {
          type: 'ExecutionFailed',
          data: { error: { ...timeout, nodeId: 'a' }, failedAt: at(3), durationMs: 3000, totalCost: 30 },
        },
      ]);
  });

  it('leaves out the timings the failure did not report', () => {
    given(...bothRunning)
      .when({
        type: 'FailNode',
        data: { nodeId: 'b', attempt: 1, taskId: taskId('b'), error: timeout, failedAt: at(5), now: at(5) },
      })
      .then([
        {
          type: 'NodeFailed',
          data: { nodeId: 'b', attempt: 1, taskId: taskId('b'), error: timeout, failedAt: at(5), willRetry: false },
        },
        {
          type: 'ExecutionFailed',
          data: { error: { ...timeout, nodeId: 'b' }, failedAt: at(5), durationMs: 5000, totalCost: 0 },
        },
      ]);
  });

  it('does nothing for a duplicate of the failure', () => {
    given(...bothRunning, ...failedOnA)
      .when(failNode('a', timeout, { startedAt: at(1), finishedAt: at(31), now: at(40) }))
      .thenNothingHappened();
  });

  it('records the success of a parallel node that arrives after the execution failed, and starts nothing', () => {
    // Kept for a retry of the execution, which then does not run b again (nor charge it twice).
    given(...bothRunning, ...failedOnA)
      .when(completeNode('b', 'B', { now: at(45) }))
      .then([nodeCompleted('b', 'B', { now: at(45) })]);
    const late = [...bothRunning, ...failedOnA, nodeCompleted('b', 'B', { now: at(45) })];
    expect(foldEvents(late)).toMatchObject({ status: 'failed', nodes: { b: { status: 'succeeded', output: 'B' } } });
    // A redelivery of it is old news.
    given(...late)
      .when(completeNode('b', 'B', { now: at(46) }))
      .thenNothingHappened();
  });

  it('ignores the failure of a parallel node that arrives after the execution failed', () => {
    given(...bothRunning, ...failedOnA)
      .when(failNode('b', timeout, { now: at(45) }))
      .thenNothingHappened();
  });

  it('does nothing for a failure of a superseded attempt', () => {
    given(...bothRunning, nodeScheduled('a', 'remote', at(9), 2))
      .when(failNode('a', timeout, { attempt: 1 }))
      .thenNothingHappened();
  });

  it('is refused on an execution that has not started', () => {
    given().when(failNode('a', timeout)).thenThrows('execution_not_started', 'FailNode needs a started execution');
  });
});
