import type { ExecutionEvent, GraphNode, NodeError, WorkflowGraph } from '@flowstack/contracts';
import type { CancelExecution, RetryExecution, StartExecution } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import {
  EXECUTION_ID,
  at,
  completeNode,
  executionStarted,
  failNode,
  given,
  graphOf,
  node,
  nodeScheduled,
  startExecution,
  T0,
  taskId,
} from './execution.fixtures';
import { forkPlan } from './retry-execution.decider';
import type { StartedExecution } from './execution.state';
import { toExecutionView } from './execution.view';

/** in -> a (tool) -> b (tool) -> out, and in -> side (tool) -> out: `a` fails for good on attempt 1. */
function pipeline(): WorkflowGraph {
  const once: GraphNode = { id: 'a', type: 'tool', config: { retry: { maxAttempts: 2, initialIntervalMs: 1000 } } };
  return graphOf(
    [node('in', 'input'), once, node('b', 'tool'), node('side', 'tool'), node('out', 'output')],
    [
      ['in', 'a'],
      ['a', 'b'],
      ['b', 'out'],
      ['in', 'side'],
      ['side', 'out'],
    ],
  );
}

const fatal: NodeError = { code: 'http_status', message: 'answered 400', retryable: false };
const retry = (now: string, reason?: string): RetryExecution => ({
  type: 'RetryExecution',
  data: { by: 'user-7', now, ...(reason === undefined ? {} : { reason }) },
});
const cancel = (now: string): CancelExecution => ({ type: 'CancelExecution', data: { by: 'user-7', now } });

function history(graph: WorkflowGraph, ...commands: Parameters<typeof decide>[0][]): ExecutionEvent[] {
  const events: ExecutionEvent[] = [executionStarted(graph, T0), nodeScheduled('in', 'inline')];
  for (const command of [completeNode('in', { n: 1 }), ...commands]) events.push(...decide(command, foldEvents(events)));
  return events;
}

describe('RetryExecution', () => {
  const graph = pipeline();
  // side succeeded (cost 30), a failed for good: the execution failed.
  const failed = history(graph, completeNode('side', { s: 1 }, { now: at(1), cost: 30 }), failNode('a', fatal, { now: at(2) }));

  it('reopens a failed execution: ExecutionRetried naming the failed node, then its next attempt, succeeded nodes untouched', () => {
    expect(foldEvents(failed).status).toBe('failed');
    given(...failed)
      .when(retry(at(10), 'fixed the upstream'))
      .then([
        {
          type: 'ExecutionRetried',
          data: {
            by: 'user-7',
            reason: 'fixed the upstream',
            retriedAt: at(10),
            previousStatus: 'failed',
            cycle: 1,
            nodes: ['a'],
            resetNodes: ['b', 'out'],
          },
        },
        { type: 'NodeScheduled', data: { nodeId: 'a', attempt: 2, taskId: taskId('a', 2), mode: 'remote', scheduledAt: at(10) } },
      ]);
  });

  it('folds to running with the outputs kept, and each retried node gets a fresh retry budget', () => {
    const retried = [...failed, ...decide(retry(at(10)), foldEvents(failed))];
    const state = foldEvents(retried) as StartedExecution;
    expect(state.status).toBe('running');
    expect(toExecutionView(state)).toMatchObject({
      status: 'running',
      retries: 1,
      totalCost: 30,
      nodes: {
        in: { status: 'succeeded', output: { n: 1 } },
        side: { status: 'succeeded', output: { s: 1 } },
        a: { status: 'scheduled', attempts: 2 },
        b: { status: 'pending', attempts: 0 },
      },
    });
    expect(toExecutionView(state)).not.toHaveProperty('error');
    expect(toExecutionView(state)).not.toHaveProperty('finishedAt');
    // maxAttempts 2: attempt 2 (the first of the new cycle) failing retryably is retried once more.
    const flaky: NodeError = { code: 'http_status', message: '503', retryable: true };
    const events = decide(failNode('a', flaky, { attempt: 2, now: at(11) }), state);
    expect(events.map((e) => e.type)).toEqual(['NodeFailed', 'NodeRetryScheduled']);
    expect(events[1].data).toMatchObject({ attempt: 3, timerId: 'retry:a:3', delayMs: 1000 });
  });

  it('runs downstream to completion, ending exactly once more, with only what ran again counted', () => {
    let events = [...failed, ...decide(retry(at(10)), foldEvents(failed))];
    const step = (command: Parameters<typeof decide>[0]) => {
      events = [...events, ...decide(command, foldEvents(events))];
    };
    step(completeNode('a', { a: 2 }, { attempt: 2, now: at(11), cost: 5 }));
    step(completeNode('b', { b: 1 }, { now: at(12), cost: 7 }));
    step(completeNode('out', { done: true }, { now: at(12) }));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionFailed')).toHaveLength(1);
    expect(types.filter((t) => t === 'ExecutionCompleted')).toHaveLength(1);
    // side ran once, in the first cycle; never scheduled again.
    expect(events.filter((e) => e.type === 'NodeScheduled' && e.data.nodeId === 'side')).toHaveLength(1);
    const state = foldEvents(events) as StartedExecution;
    expect(state.status).toBe('completed');
    expect(state.totalCost).toBe(42);
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionCompleted', data: { totalCost: 42, completedAt: at(12) } });
  });

  it('ignores a stale result of the previous cycle (the attempt no longer matches)', () => {
    const retried = [...failed, ...decide(retry(at(10)), foldEvents(failed))];
    given(...retried)
      .when(completeNode('a', { late: true }, { attempt: 1, now: at(11) }))
      .thenNothingHappened();
  });

  it('refuses a cancelled execution (a cancel is final: fork it instead)', () => {
    const cancelled = history(graph, completeNode('side', { s: 1 }, { now: at(1) }), cancel(at(3)));
    given(...cancelled)
      .when(retry(at(4)))
      .thenThrows('not_retryable', `execution ${EXECUTION_ID} is cancelled: only a failed execution can be retried`);
  });

  it('reschedules a node of another branch that was still running when the execution failed', () => {
    const events = history(graph, failNode('a', fatal, { now: at(2) }));
    const [, ...scheduled] = decide(retry(at(5)), foldEvents(events));
    expect(
      scheduled.map((e) => [e.type, (e.data as { nodeId?: string }).nodeId, (e.data as { attempt?: number }).attempt]),
    ).toEqual([
      ['NodeScheduled', 'a', 2],
      ['NodeScheduled', 'side', 2],
    ]);
    const state = foldEvents([...events, ...decide(retry(at(5)), foldEvents(events))]);
    expect(state).toMatchObject({ status: 'running', busyNodes: 2, openGates: 0 });
  });

  it('keeps a success that arrived after the failure: the retry does not schedule that node again', () => {
    let events = history(graph, failNode('a', fatal, { now: at(2) }));
    events = [...events, ...decide(completeNode('side', { s: 2 }, { now: at(3), cost: 9 }), foldEvents(events))];
    const decided = decide(retry(at(5)), foldEvents(events));
    expect(decided[0]).toMatchObject({ data: { nodes: ['a'], resetNodes: ['b', 'out'] } });
    expect(decided.slice(1).map((e) => (e.data as { nodeId?: string }).nodeId)).toEqual(['a']);
    expect(foldEvents([...events, ...decided])).toMatchObject({ totalCost: 9, nodes: { side: { output: { s: 2 } } } });
  });

  it('counts cycles: a second retry after a second failure is cycle 2', () => {
    let events = [...failed, ...decide(retry(at(10)), foldEvents(failed))];
    events = [...events, ...decide(failNode('a', fatal, { attempt: 2, now: at(11) }), foldEvents(events))];
    const second = decide(retry(at(12)), foldEvents(events));
    expect(second[0]).toMatchObject({ type: 'ExecutionRetried', data: { cycle: 2, nodes: ['a'] } });
    expect(second[1]).toMatchObject({ type: 'NodeScheduled', data: { nodeId: 'a', attempt: 3 } });
  });

  it.each([
    ['running', () => history(pipeline())],
    [
      'completed',
      () => history(pipeline(), completeNode('side', {}), completeNode('a', {}), completeNode('b', {}), completeNode('out', {})),
    ],
  ])('refuses a %s execution with not_retryable', (status, events) => {
    given(...events())
      .when(retry(at(9)))
      .thenThrows('not_retryable', `execution ${EXECUTION_ID} is ${status}: only a failed execution can be retried`);
  });

  it('refuses an execution that never started', () => {
    given()
      .when(retry(at(1)))
      .thenThrows('execution_not_started', 'RetryExecution needs a started execution');
  });
});

describe('fork', () => {
  const graph = pipeline();
  const completed = history(
    graph,
    completeNode('side', { s: 1 }, { now: at(1), cost: 30 }),
    completeNode('a', { a: 1 }, { now: at(2), cost: 5 }),
    completeNode('b', { b: 1 }, { now: at(3), cost: 7 }),
  );
  const source = foldEvents(completed) as StartedExecution;
  const seqs = new Map(
    completed.flatMap((e, i) => (e.type === 'NodeCompleted' ? [[e.data.nodeId, { seq: i + 1 }] as const] : [])),
  );

  it('copies every finished node that does not depend on fromNodeId, in graph order', () => {
    const plan = forkPlan(source, seqs, 'b');
    expect(plan).toMatchObject({ executionId: EXECUTION_ID, fromNodeId: 'b' });
    expect(plan.copied.map((c) => c.nodeId)).toEqual(['in', 'a', 'side']);
    expect(plan.copied[1]).toEqual({
      nodeId: 'a',
      status: 'succeeded',
      seq: seqs.get('a')!.seq,
      output: { a: 1 },
      startedAt: at(2),
      completedAt: at(2),
      durationMs: 0,
    });
  });

  it('starts the new execution with the copies (attempt 0, cost 0, copiedFrom) and schedules fromNodeId', () => {
    const fork = forkPlan(source, seqs, 'b');
    const start: StartExecution = {
      ...startExecution(graph, at(20)),
      data: { ...startExecution(graph, at(20)).data, executionId: 'exec-2', fork },
    };
    const events = decide(start, { status: 'pending' });
    expect(events.map((e) => [e.type, (e.data as { nodeId?: string }).nodeId ?? null])).toEqual([
      ['ExecutionStarted', null],
      ['NodeCompleted', 'in'],
      ['NodeCompleted', 'a'],
      ['NodeCompleted', 'side'],
      ['NodeScheduled', 'b'],
    ]);
    expect(events[0].data).toMatchObject({ executionId: 'exec-2', forkedFrom: { executionId: EXECUTION_ID, fromNodeId: 'b' } });
    expect(events[2].data).toEqual({
      nodeId: 'a',
      attempt: 0,
      taskId: 'exec-2:a:0',
      output: { a: 1 },
      startedAt: at(2),
      completedAt: at(2),
      durationMs: 0,
      cost: 0,
      copiedFrom: { executionId: EXECUTION_ID, seq: seqs.get('a')!.seq },
    });
    expect(events[4].data).toMatchObject({ nodeId: 'b', attempt: 1, taskId: 'exec-2:b:1' });
    const state = foldEvents(events) as StartedExecution;
    expect(toExecutionView(state)).toMatchObject({
      id: 'exec-2',
      status: 'running',
      totalCost: 0,
      forkedFrom: { executionId: EXECUTION_ID, fromNodeId: 'b' },
      nodes: { a: { status: 'succeeded', attempts: 0, copiedFrom: { executionId: EXECUTION_ID } }, b: { status: 'scheduled' } },
    });
  });

  it('from the entry point copies nothing: a fresh run of the pinned graph', () => {
    const fork = forkPlan(source, seqs, 'in');
    expect(fork.copied).toEqual([]);
    const start: StartExecution = { ...startExecution(graph), data: { ...startExecution(graph).data, fork } };
    expect(decide(start, { status: 'pending' }).map((e) => e.type)).toEqual(['ExecutionStarted', 'NodeScheduled']);
  });

  it('copies skipped branches as skipped, so joins still resolve', () => {
    const branchy = graphOf(
      [
        node('in', 'input'),
        { id: 'c', type: 'condition', config: { expression: 'x' } },
        node('y', 'tool'),
        node('n', 'tool'),
        node('out', 'output'),
      ],
      [
        ['in', 'c'],
        ['c', 'y', 'true'],
        ['c', 'n', 'false'],
        ['y', 'out'],
        ['n', 'out'],
      ],
    );
    const events: ExecutionEvent[] = [executionStarted(branchy), nodeScheduled('in', 'inline')];
    for (const command of [completeNode('in', {}), completeNode('c', true), completeNode('y', { y: 1 }), completeNode('out', 1)])
      events.push(...decide(command, foldEvents(events)));
    const src = foldEvents(events) as StartedExecution;
    const recorded = new Map<string, { seq: number }>();
    events.forEach((e, i) => {
      if (e.type === 'NodeCompleted' || e.type === 'NodeSkipped') recorded.set(e.data.nodeId, { seq: i + 1 });
    });
    const fork = forkPlan(src, recorded, 'out');
    expect(fork.copied.map((c) => [c.nodeId, c.status])).toEqual([
      ['in', 'succeeded'],
      ['c', 'succeeded'],
      ['y', 'succeeded'],
      ['n', 'skipped'],
    ]);
    const start: StartExecution = {
      ...startExecution(branchy),
      data: { ...startExecution(branchy).data, executionId: 'exec-3', fork },
    };
    const started = decide(start, { status: 'pending' });
    expect(started.at(-1)).toMatchObject({ type: 'NodeScheduled', data: { nodeId: 'out', attempt: 1 } });
    expect(started.find((e) => e.type === 'NodeSkipped')).toMatchObject({
      data: { nodeId: 'n', copiedFrom: { seq: recorded.get('n')!.seq } },
    });
  });

  it('refuses an unknown node and a node the source never reached', () => {
    expect(() => forkPlan(source, seqs, 'nope')).toThrow(expect.objectContaining({ code: 'unknown_node' }));
    const early = foldEvents(history(graph)) as StartedExecution;
    expect(() => forkPlan(early, new Map(), 'b')).toThrow(expect.objectContaining({ code: 'fork_node_not_reached' }));
  });
});
