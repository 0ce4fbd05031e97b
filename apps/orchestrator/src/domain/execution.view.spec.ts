import type { NodeError } from '@flowstack/contracts';
import { foldEvents } from './execution.evolve';
import { at, executionStarted, graphOf, node, nodeScheduled, ran, taskId } from './execution.fixtures';
import type { StartedExecution } from './execution.state';
import { toExecutionView } from './execution.view';

const graph = graphOf(
  [node('in', 'input'), node('fetch', 'tool'), node('out', 'output')],
  [
    ['in', 'fetch'],
    ['fetch', 'out'],
  ],
);
const view = (...events: Parameters<typeof foldEvents>[0][]) =>
  toExecutionView(foldEvents(events.flatMap((e) => [...e])) as StartedExecution);

describe('toExecutionView', () => {
  it('shows a running execution: never-scheduled nodes pending, no output, no finish', () => {
    expect(
      view([
        executionStarted(graph, at(0)),
        ...ran('in', 'inline', { q: 1 }, { finishedAt: at(1), cost: 2 }),
        nodeScheduled('fetch', 'remote', at(1)),
      ]),
    ).toStrictEqual({
      id: 'exec-1',
      workflowId: 'wf-1',
      workflowVersion: 3,
      status: 'running',
      input: { question: 'why?' },
      output: null,
      nodes: {
        in: { status: 'succeeded', attempts: 1, output: { q: 1 }, startedAt: at(1), finishedAt: at(1), durationMs: 0 },
        fetch: { status: 'scheduled', attempts: 1 },
        out: { status: 'pending', attempts: 0 },
      },
      totalCost: 2,
      startedAt: at(0),
    });
  });

  it('shows a completed execution with its output, finish and duration', () => {
    const completed = view([
      executionStarted(graph, at(0)),
      ...ran('in', 'inline', 1),
      ...ran('fetch', 'remote', 'page', { startedAt: at(1), finishedAt: at(4), cost: 9 }),
      ...ran('out', 'inline', 'answer', { finishedAt: at(5) }),
      { type: 'ExecutionCompleted', data: { output: 'answer', completedAt: at(6), durationMs: 6000, totalCost: 9 } },
    ]);
    expect(completed).toMatchObject({
      status: 'completed',
      output: 'answer',
      finishedAt: at(6),
      durationMs: 6000,
      totalCost: 9,
    });
    expect(completed.nodes.fetch).toStrictEqual({
      status: 'succeeded',
      attempts: 1,
      output: 'page',
      startedAt: at(1),
      finishedAt: at(4),
      durationMs: 3000,
    });
    expect(completed).not.toHaveProperty('error');
  });

  it('shows a failed execution with its error and the failed node’s error', () => {
    const error: NodeError = { code: 'network_error', message: 'ECONNRESET' };
    const failed = view([
      executionStarted(graph, at(0)),
      ...ran('in', 'inline', 1),
      nodeScheduled('fetch', 'remote', at(1)),
      {
        type: 'NodeFailed',
        data: { nodeId: 'fetch', attempt: 1, taskId: taskId('fetch'), error, failedAt: at(2), willRetry: false },
      },
      {
        type: 'ExecutionFailed',
        data: { error: { ...error, nodeId: 'fetch' }, failedAt: at(3), durationMs: 3000, totalCost: 0 },
      },
    ]);
    expect(failed).toMatchObject({
      status: 'failed',
      output: null,
      error: { ...error, nodeId: 'fetch' },
      finishedAt: at(3),
      durationMs: 3000,
    });
    expect(failed.nodes.fetch).toStrictEqual({ status: 'failed', attempts: 1, error, finishedAt: at(2) });
    expect(failed.nodes.out).toStrictEqual({ status: 'pending', attempts: 0 });
  });
});
