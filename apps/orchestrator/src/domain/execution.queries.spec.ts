import type { ExecutionEvent } from '@flowstack/contracts';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { completeNode, executionStarted, graphOf, node, nodeScheduled, nodeSkipped, ran, T0, taskId } from './execution.fixtures';
import { pendingInlineNodes, scheduledRemoteNodes, scopeOf } from './execution.queries';
import type { StartedExecution } from './execution.state';

// in -> (check, t1, fetch); check -true-> yes
const graph = graphOf(
  [node('in', 'input'), node('fetch', 'tool'), node('t1', 'transform'), node('check', 'condition'), node('yes', 'output')],
  [
    ['in', 'check'],
    ['in', 't1'],
    ['in', 'fetch'],
    ['check', 'yes', 'true'],
  ],
);
const fold = (events: ExecutionEvent[]): StartedExecution => foldEvents(events) as StartedExecution;

describe('scopeOf', () => {
  it('exposes the input, the outputs of succeeded nodes only, and the execution', () => {
    const state = fold([
      executionStarted(graph),
      ...ran('in', 'inline', { n: 1 }),
      ...ran('check', 'inline', false),
      nodeSkipped('yes'),
      nodeScheduled('t1', 'inline'),
      nodeScheduled('fetch', 'remote'),
    ]);
    expect(scopeOf(state)).toStrictEqual({
      input: { question: 'why?' },
      nodes: { in: { output: { n: 1 } }, check: { output: false } },
      execution: { id: 'exec-1', workflowId: 'wf-1', workflowVersion: 3, startedAt: T0 },
    });
  });
});

describe('pendingInlineNodes', () => {
  const fannedOut: ExecutionEvent[] = [
    executionStarted(graph),
    ...ran('in', 'inline', 1),
    nodeScheduled('fetch', 'remote'),
    nodeScheduled('t1', 'inline'),
    nodeScheduled('check', 'inline'),
  ];

  it('lists scheduled inline nodes in graph order, leaving out remote ones', () => {
    expect(pendingInlineNodes(foldEvents(fannedOut))).toStrictEqual(['t1', 'check']);
  });

  it('is empty before the start and after the execution failed', () => {
    expect(pendingInlineNodes(foldEvents([]))).toStrictEqual([]);
    const failed: ExecutionEvent = {
      type: 'ExecutionFailed',
      data: { error: { code: 'timeout', message: 'slow', nodeId: 'fetch' }, failedAt: T0, durationMs: 0, totalCost: 0 },
    };
    expect(pendingInlineNodes(foldEvents([...fannedOut, failed]))).toStrictEqual([]);
  });
});

describe('scheduledRemoteNodes', () => {
  it('picks the remote attempts out of a decision, in order', () => {
    const events = decide(completeNode('in', 1), fold([executionStarted(graph), nodeScheduled('in', 'inline')]));
    expect(scheduledRemoteNodes(events)).toStrictEqual([
      { nodeId: 'fetch', attempt: 1, taskId: taskId('fetch'), mode: 'remote', scheduledAt: T0 },
    ]);
  });
});
