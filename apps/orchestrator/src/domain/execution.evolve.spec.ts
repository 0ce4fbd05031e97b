import type { ExecutionEvent, NodeError } from '@flowstack/contracts';
import { evolve, foldEvents } from './execution.evolve';
import {
  at,
  executionStarted,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  nodeSkipped,
  ran,
  taskId,
} from './execution.fixtures';
import { initialState } from './execution.state';
import type { ExecutionState, StartedExecution } from './execution.state';

const graph = graphOf(
  [node('in', 'input'), node('a', 'tool'), node('b', 'tool')],
  [
    ['in', 'a'],
    ['in', 'b'],
  ],
);
const boom: NodeError = { code: 'http_status', message: '502 from upstream', retryable: true };

function started(events: ExecutionEvent[]): StartedExecution {
  const state = foldEvents(events);
  if (state.status === 'pending') throw new Error('expected a started execution');
  return state;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe('evolve and foldEvents', () => {
  it('starts from pending', () => {
    expect(initialState()).toStrictEqual({ status: 'pending' });
    expect(foldEvents([])).toStrictEqual({ status: 'pending' });
  });

  it('starts running with the pinned identity and every node pending', () => {
    const state = started([executionStarted(graph, at(0))]);
    expect(state).toMatchObject({
      status: 'running',
      executionId: 'exec-1',
      workspaceId: 'ws-1',
      workflowId: 'wf-1',
      workflowVersion: 3,
      graph,
      input: { question: 'why?' },
      trigger: { type: 'manual', by: 'user-1' },
      startedAt: at(0),
      totalCost: 0,
    });
    expect(state.nodes).toStrictEqual({
      in: { status: 'pending', attempts: 0 },
      a: { status: 'pending', attempts: 0 },
      b: { status: 'pending', attempts: 0 },
    });
  });

  it('tracks a node through scheduled, then succeeded, with timings, output and cost', () => {
    const scheduled = started([executionStarted(graph), nodeScheduled('a', 'remote', at(1))]);
    expect(scheduled.nodes.a).toStrictEqual({
      status: 'scheduled',
      attempts: 1,
      taskId: taskId('a'),
      mode: 'remote',
      scheduledAt: at(1),
    });
    const done = started([
      executionStarted(graph),
      nodeScheduled('a', 'remote', at(1)),
      nodeCompleted('a', { rows: 3 }, { startedAt: at(2), finishedAt: at(5), cost: 70 }),
    ]);
    expect(done.nodes.a).toStrictEqual({
      status: 'succeeded',
      attempts: 1,
      taskId: taskId('a'),
      mode: 'remote',
      scheduledAt: at(1),
      output: { rows: 3 },
      startedAt: at(2),
      finishedAt: at(5),
      durationMs: 3000,
      cost: 70,
    });
    expect(done.totalCost).toBe(70);
  });

  it('records skips and failures, and the execution’s failure', () => {
    const state = started([
      executionStarted(graph),
      ...ran('in', 'inline', 1, { cost: 2 }),
      nodeSkipped('b', at(1)),
      nodeScheduled('a', 'remote', at(1)),
      {
        type: 'NodeFailed',
        data: { nodeId: 'a', attempt: 1, taskId: taskId('a'), error: boom, failedAt: at(4), willRetry: false },
      },
      {
        type: 'ExecutionFailed',
        data: { error: { ...boom, nodeId: 'a' }, failedAt: at(4), durationMs: 4000, totalCost: 2 },
      },
    ]);
    expect(state.nodes.b).toStrictEqual({ status: 'skipped', attempts: 0, finishedAt: at(1) });
    expect(state.nodes.a).toMatchObject({ status: 'failed', attempts: 1, error: boom, finishedAt: at(4) });
    expect(state).toMatchObject({ status: 'failed', error: { ...boom, nodeId: 'a' }, finishedAt: at(4), totalCost: 2 });
  });

  it('records the execution’s completion with its output', () => {
    const state = started([
      executionStarted(graph),
      { type: 'ExecutionCompleted', data: { output: 'x', completedAt: at(9), durationMs: 9000, totalCost: 11 } },
    ]);
    expect(state).toMatchObject({ status: 'completed', output: 'x', finishedAt: at(9), totalCost: 11 });
  });

  it('starts a new attempt clean: nothing of the previous attempt carries over', () => {
    const state = started([
      executionStarted(graph),
      nodeScheduled('a', 'remote', at(1)),
      {
        type: 'NodeFailed',
        data: { nodeId: 'a', attempt: 1, taskId: taskId('a'), error: boom, failedAt: at(2), willRetry: true },
      },
      nodeScheduled('a', 'remote', at(3), 2),
    ]);
    expect(state.nodes.a).toStrictEqual({
      status: 'scheduled',
      attempts: 2,
      taskId: taskId('a', 2),
      mode: 'remote',
      scheduledAt: at(3),
    });
  });

  it('ignores node events before the start and a second start', () => {
    expect(evolve(initialState(), nodeScheduled('a', 'remote'))).toStrictEqual({ status: 'pending' });
    const once = foldEvents([executionStarted(graph, at(0))]);
    expect(evolve(once, executionStarted(graph, at(5)))).toBe(once);
  });

  it('never mutates the state it is given, and shares what did not change', () => {
    const before = deepFreeze(foldEvents([executionStarted(graph), ...ran('in', 'inline', 1)]) as StartedExecution);
    const after = evolve(before, nodeScheduled('a', 'remote')) as StartedExecution;
    expect(after).not.toBe(before);
    expect(after.nodes).not.toBe(before.nodes);
    expect(after.nodes.in).toBe(before.nodes.in);
    expect(after.nodes.b).toBe(before.nodes.b);
    expect(after.topology).toBe(before.topology);
    expect(before.nodes.a).toStrictEqual({ status: 'pending', attempts: 0 });
  });

  it('folds to the same state as evolving event by event, also when continuing from a snapshot', () => {
    const events: ExecutionEvent[] = [
      executionStarted(graph),
      ...ran('in', 'inline', 1),
      nodeScheduled('a', 'remote'),
      nodeScheduled('b', 'remote'),
      nodeCompleted('b', 'B', { cost: 4 }),
    ];
    const stepwise = events.reduce<ExecutionState>(evolve, initialState());
    expect(foldEvents(events)).toStrictEqual(stepwise);

    const snapshot = deepFreeze(foldEvents(events.slice(0, 3)));
    expect(foldEvents(events.slice(3), snapshot)).toStrictEqual(stepwise);
  });
});
