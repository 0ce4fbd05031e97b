import type { ExecutionEvent } from '@flowstack/contracts';
import {
  at,
  completeNode,
  executionStarted,
  given,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  nodeSkipped,
  ran,
} from './execution.fixtures';

// in -> fetch -> out
const chain = graphOf(
  [node('in', 'input'), node('fetch', 'tool'), node('out', 'output')],
  [
    ['in', 'fetch'],
    ['fetch', 'out'],
  ],
);

describe('ExecutionCompleted', () => {
  it('follows the last node with the output node’s output, the summed cost and the run’s duration', () => {
    given(
      executionStarted(chain, at(0)),
      ...ran('in', 'inline', 1, { cost: 0 }),
      ...ran('fetch', 'remote', 'page', { startedAt: at(1), finishedAt: at(8), cost: 120 }),
      nodeScheduled('out', 'inline', at(8)),
    )
      .when(completeNode('out', { answer: 42 }, { finishedAt: at(9), cost: 3, now: at(10) }))
      .then([
        nodeCompleted('out', { answer: 42 }, { finishedAt: at(9), cost: 3 }),
        {
          type: 'ExecutionCompleted',
          data: { output: { answer: 42 }, completedAt: at(10), durationMs: 10_000, totalCost: 123 },
        },
      ]);
  });

  it('keys the output by node id when several output nodes succeeded', () => {
    const twoOutputs = graphOf(
      [node('in', 'input'), node('summary', 'output'), node('raw', 'output')],
      [
        ['in', 'summary'],
        ['in', 'raw'],
      ],
    );
    given(
      executionStarted(twoOutputs),
      ...ran('in', 'inline', 1),
      ...ran('summary', 'inline', 'short'),
      nodeScheduled('raw', 'inline'),
    )
      .when(completeNode('raw', [1, 2]))
      .then([
        nodeCompleted('raw', [1, 2]),
        {
          type: 'ExecutionCompleted',
          data: { output: { summary: 'short', raw: [1, 2] }, completedAt: at(0), durationMs: 0, totalCost: 0 },
        },
      ]);
  });

  it('takes the output of the output node that ran when the others were skipped', () => {
    const either = graphOf(
      [node('in', 'input'), node('check', 'condition'), node('yes', 'output'), node('no', 'output')],
      [
        ['in', 'check'],
        ['check', 'yes', 'true'],
        ['check', 'no', 'false'],
      ],
    );
    given(
      executionStarted(either),
      ...ran('in', 'inline', 1),
      ...ran('check', 'inline', false),
      nodeSkipped('yes'),
      nodeScheduled('no', 'inline'),
    )
      .when(completeNode('no', 'declined'))
      .then([
        nodeCompleted('no', 'declined'),
        { type: 'ExecutionCompleted', data: { output: 'declined', completedAt: at(0), durationMs: 0, totalCost: 0 } },
      ]);
  });

  it('outputs null when the graph has no output node', () => {
    const noOutput = graphOf([node('in', 'input'), node('fetch', 'tool')], [['in', 'fetch']]);
    given(executionStarted(noOutput), ...ran('in', 'inline', 1), nodeScheduled('fetch', 'remote'))
      .when(completeNode('fetch', 'page', { now: at(2) }))
      .then([
        nodeCompleted('fetch', 'page', { now: at(2) }),
        { type: 'ExecutionCompleted', data: { output: null, completedAt: at(2), durationMs: 2000, totalCost: 0 } },
      ]);
  });

  it('completes a single-node workflow with its start', () => {
    const single = graphOf([node('only', 'output')], []);
    given(executionStarted(single), nodeScheduled('only', 'inline'))
      .when(completeNode('only', 'done'))
      .then([
        nodeCompleted('only', 'done'),
        { type: 'ExecutionCompleted', data: { output: 'done', completedAt: at(0), durationMs: 0, totalCost: 0 } },
      ]);
  });

  it('is not emitted while a parallel branch is still running', () => {
    const fanOut = graphOf(
      [node('in', 'input'), node('a', 'tool'), node('b', 'tool')],
      [
        ['in', 'a'],
        ['in', 'b'],
      ],
    );
    given(executionStarted(fanOut), ...ran('in', 'inline', 1), nodeScheduled('a', 'remote'), nodeScheduled('b', 'remote'))
      .when(completeNode('a', 'A'))
      .then([nodeCompleted('a', 'A')]);
  });

  it('ends the execution: a late duplicate result after completion does nothing', () => {
    const done: ExecutionEvent[] = [
      executionStarted(chain),
      ...ran('in', 'inline', 1),
      ...ran('fetch', 'remote', 'page'),
      ...ran('out', 'inline', 'page'),
      { type: 'ExecutionCompleted', data: { output: 'page', completedAt: at(0), durationMs: 0, totalCost: 0 } },
    ];
    given(...done)
      .when(completeNode('out', 'page'))
      .thenNothingHappened();
  });
});
