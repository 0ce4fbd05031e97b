import type { ExecutionEvent, GraphNode, WorkflowGraph } from '@flowstack/contracts';
import type { ExecutionCommand, RecordChildStart, SettleChild } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import {
  at,
  completeNode,
  executionStarted,
  given,
  graphOf,
  node,
  nodeScheduled,
  startExecution,
  T0,
  taskId,
} from './execution.fixtures';
import { linkedTimersOf } from './execution.queries';
import { toExecutionView } from './execution.view';
import type { StartedExecution } from './execution.state';

const CHILD = '11111111-2222-5333-8444-555555555555';
const CHILD_2 = '11111111-2222-5333-8444-666666666666';

/** in -> sub (a sub_workflow retried once after 1 s) -> out. */
function line(retry: Record<string, unknown> = { maxAttempts: 2, initialIntervalMs: 1000 }): WorkflowGraph {
  const sub: GraphNode = { id: 'sub', type: 'sub_workflow', config: { workflowId: 'wf-child', input: '{{ input }}', retry } };
  return graphOf(
    [node('in', 'input'), sub, { id: 'out', type: 'output', config: { value: '{{ nodes.sub.output }}' } }],
    [
      ['in', 'sub'],
      ['sub', 'out'],
    ],
  );
}

const childStarted = (childExecutionId = CHILD, attempt = 1, now = at(1)): RecordChildStart => ({
  type: 'RecordChildStart',
  data: {
    nodeId: 'sub',
    timerId: `child:sub:${attempt}`,
    outcome: { started: { childExecutionId, workflowId: 'wf-child', workflowVersion: 2 } },
    now,
  },
});

const settle = (outcome: SettleChild['data']['outcome'], extra: Partial<SettleChild['data']> = {}): SettleChild => ({
  type: 'SettleChild',
  data: {
    nodeId: 'sub',
    attempt: 1,
    childExecutionId: CHILD,
    workflowId: 'wf-child',
    workflowVersion: 2,
    startedAt: at(1),
    finishedAt: at(3),
    outcome,
    now: at(3),
    ...extra,
  },
});

/** The history after `commands`, decided one after the other from the start. */
function history(graph: WorkflowGraph, ...commands: ExecutionCommand[]): ExecutionEvent[] {
  const events: ExecutionEvent[] = [executionStarted(graph, T0), nodeScheduled('in', 'inline')];
  for (const command of [completeNode('in', {}), ...commands]) events.push(...decide(command, foldEvents(events)));
  return events;
}

const stateOf = (events: ExecutionEvent[]) => foldEvents(events) as StartedExecution;

describe('sub_workflow node', () => {
  it('is scheduled in mode child with a child_start timer due at once (no WORK task)', () => {
    given(executionStarted(line()), nodeScheduled('in', 'inline'))
      .when(completeNode('in', { q: 1 }, { now: at(1) }))
      .then([
        { type: 'NodeCompleted', data: expect.objectContaining({ nodeId: 'in' }) as never },
        { type: 'NodeScheduled', data: { nodeId: 'sub', attempt: 1, taskId: taskId('sub'), mode: 'child', scheduledAt: at(1) } },
        {
          type: 'TimerScheduled',
          data: { timerId: 'child:sub:1', kind: 'child_start', nodeId: 'sub', attempt: 1, dueAt: at(1) },
        },
      ]);
  });

  it('records the child once started: TimerFired then ChildExecutionStarted, node running', () => {
    given(...history(line()))
      .when(childStarted())
      .then([
        {
          type: 'TimerFired',
          data: { timerId: 'child:sub:1', kind: 'child_start', nodeId: 'sub', attempt: 1, dueAt: T0, firedAt: at(1) },
        },
        {
          type: 'ChildExecutionStarted',
          data: {
            nodeId: 'sub',
            attempt: 1,
            childExecutionId: CHILD,
            workflowId: 'wf-child',
            workflowVersion: 2,
            startedAt: at(1),
          },
        },
      ]);
    const state = stateOf(history(line(), childStarted()));
    expect(state.nodes.sub.status).toBe('running');
    expect(toExecutionView(state).children).toStrictEqual([
      {
        nodeId: 'sub',
        attempt: 1,
        executionId: CHILD,
        workflowId: 'wf-child',
        workflowVersion: 2,
        status: 'running',
        startedAt: at(1),
      },
    ]);
  });

  it('records a start once: a repeated start is a no-op', () => {
    given(...history(line(), childStarted()))
      .when(childStarted())
      .thenNothingHappened();
  });

  it('fails the node without retry when the child cannot start (workflow_not_found)', () => {
    const error = { code: 'workflow_not_found', message: 'workflow wf-child not found', retryable: false };
    const events = decide(
      { type: 'RecordChildStart', data: { nodeId: 'sub', timerId: 'child:sub:1', outcome: { error }, now: at(1) } },
      stateOf(history(line())),
    );
    expect(events.map((e) => e.type)).toStrictEqual(['TimerFired', 'NodeFailed', 'ExecutionFailed']);
    expect(events[1]).toMatchObject({ data: { nodeId: 'sub', error, willRetry: false } });
    expect(events[2]).toMatchObject({ data: { error: { ...error, nodeId: 'sub' } } });
  });

  it("completes the node with the child's output (cost 0) and runs what follows", () => {
    const events = decide(settle('completed', { output: { answer: 42 } }), stateOf(history(line(), childStarted())));
    expect(events[0]).toStrictEqual({
      type: 'NodeCompleted',
      data: {
        nodeId: 'sub',
        attempt: 1,
        taskId: taskId('sub'),
        output: { answer: 42 },
        startedAt: at(1),
        completedAt: at(3),
        durationMs: 2000,
        cost: 0,
      },
    });
    expect(events[1]).toMatchObject({ type: 'NodeScheduled', data: { nodeId: 'out', mode: 'inline' } });
    const state = stateOf([...history(line(), childStarted()), ...events]);
    expect(state.children?.[0].status).toBe('completed');
  });

  it('records the start too when the child ended before its start was recorded', () => {
    const events = decide(settle('completed', { output: 1 }), stateOf(history(line())));
    expect(events.map((e) => e.type).slice(0, 3)).toStrictEqual(['ChildExecutionStarted', 'NodeCompleted', 'NodeScheduled']);
    // The child_start firing that follows finds the node done.
    expect(decide(childStarted(), stateOf([...history(line()), ...events]))).toStrictEqual([]);
  });

  it("retries a failed child under the node's policy: child_failed, then a new attempt and a new child", () => {
    const childError = { code: 'http_status', message: 'answered 500', nodeId: 'call' };
    const base = history(line(), childStarted());
    const failed = decide(settle('failed', { error: childError }), stateOf(base));
    expect(failed).toStrictEqual([
      {
        type: 'NodeFailed',
        data: {
          nodeId: 'sub',
          attempt: 1,
          taskId: taskId('sub'),
          error: {
            code: 'child_failed',
            message: `child execution ${CHILD} failed: answered 500`,
            retryable: true,
            details: { childExecutionId: CHILD, childError },
          },
          startedAt: at(1),
          durationMs: 2000,
          failedAt: at(3),
          willRetry: true,
          nextAttempt: { attempt: 2, dueAt: at(4) },
        },
      },
      { type: 'NodeRetryScheduled', data: { nodeId: 'sub', attempt: 2, timerId: 'retry:sub:2', dueAt: at(4), delayMs: 1000 } },
    ]);
    const retried = [...base, ...failed];
    const fired = decide({ type: 'FireTimer', data: { timerId: 'retry:sub:2', nodeId: 'sub', now: at(4) } }, stateOf(retried));
    expect(fired.slice(1)).toStrictEqual([
      { type: 'NodeScheduled', data: { nodeId: 'sub', attempt: 2, taskId: taskId('sub', 2), mode: 'child', scheduledAt: at(4) } },
      { type: 'TimerScheduled', data: { timerId: 'child:sub:2', kind: 'child_start', nodeId: 'sub', attempt: 2, dueAt: at(4) } },
    ]);
    const second = [...retried, ...fired, ...decide(childStarted(CHILD_2, 2, at(5)), stateOf([...retried, ...fired]))];
    expect(toExecutionView(stateOf(second)).children?.map((c) => [c.attempt, c.executionId, c.status])).toStrictEqual([
      [1, CHILD, 'failed'],
      [2, CHILD_2, 'running'],
    ]);
  });

  it('fails the node with child_cancelled (not retried) when the child was cancelled', () => {
    const events = decide(settle('cancelled'), stateOf(history(line(), childStarted())));
    expect(events.map((e) => e.type)).toStrictEqual(['NodeFailed', 'ExecutionFailed']);
    expect(events[0]).toMatchObject({ data: { error: { code: 'child_cancelled', retryable: false }, willRetry: false } });
  });

  it('ignores a settlement of a superseded attempt, a duplicate, and one after the parent ended', () => {
    const done = history(line(), childStarted(), settle('completed', { output: 1 }));
    given(...done)
      .when(settle('completed', { output: 1 }))
      .thenNothingHappened();
    given(...history(line(), childStarted()))
      .when(settle('completed', { attempt: 2 }))
      .thenNothingHappened();
    const cancelled = history(line(), childStarted(), { type: 'CancelExecution', data: { by: 'u', now: at(2) } });
    given(...cancelled)
      .when(settle('completed', { output: 1 }))
      .thenNothingHappened();
  });

  it('never completes from a WORK result, nor from a plain FireTimer of its child_start', () => {
    given(...history(line()))
      .when({ type: 'FireTimer', data: { timerId: 'child:sub:1', nodeId: 'sub', now: at(1) } })
      .thenNothingHappened();
    given(...history(line(), childStarted()))
      .when(completeNode('sub', 1, { now: at(2) }))
      .thenNothingHappened();
  });

  it('records the parent on the child: parentId and parent {nodeId, attempt, depth}', () => {
    const start = startExecution(line());
    const events = decide(
      { ...start, data: { ...start.data, parent: { executionId: 'parent-1', nodeId: 'sub', attempt: 3, depth: 1 } } },
      foldEvents([]),
    );
    expect(events[0]).toMatchObject({
      type: 'ExecutionStarted',
      data: { parentId: 'parent-1', parent: { nodeId: 'sub', attempt: 3, depth: 1 } },
    });
    expect(toExecutionView(stateOf(events)).parent).toStrictEqual({
      executionId: 'parent-1',
      nodeId: 'sub',
      attempt: 3,
      depth: 1,
    });
  });
});

describe('linked timers (child <-> parent)', () => {
  it("a child's end arms child_done on its parent's node attempt", () => {
    const start = startExecution(graphOf([node('in', 'input')], []));
    const parent = { executionId: 'parent-1', nodeId: 'sub', attempt: 2, depth: 1 };
    const events = decide({ ...start, data: { ...start.data, parent } }, foldEvents([]));
    const withEnd = [...events, ...decide(completeNode('in', 1), foldEvents(events))];
    expect(linkedTimersOf(foldEvents(withEnd), withEnd)).toStrictEqual([
      { executionId: 'parent-1', timerId: 'child_done:sub:2', kind: 'child_done', nodeId: 'sub', dueAt: T0 },
    ]);
    // Nothing before the end.
    expect(linkedTimersOf(foldEvents(events), events)).toStrictEqual([]);
  });

  it("a parent's cancel arms parent_cancelled on its running child, not on a finished one", () => {
    const base = history(line(), childStarted());
    const cancel = decide({ type: 'CancelExecution', data: { by: 'u', now: at(2) } }, stateOf(base));
    expect(linkedTimersOf(stateOf([...base, ...cancel]), cancel)).toStrictEqual([
      { executionId: CHILD, timerId: 'parent_cancelled', kind: 'parent_cancelled', nodeId: '', dueAt: at(2) },
    ]);
    expect(stateOf([...base, ...cancel]).children?.[0].status).toBe('cancelled');
    const failed = decide(settle('cancelled'), stateOf(base));
    expect(failed.map((e) => e.type)).toStrictEqual(['NodeFailed', 'ExecutionFailed']);
    expect(linkedTimersOf(stateOf([...base, ...failed]), failed)).toStrictEqual([]);
  });

  it('a parent failing on another branch arms parent_cancelled on its still-running child', () => {
    const graph = graphOf(
      [
        node('in', 'input'),
        { id: 'sub', type: 'sub_workflow', config: { workflowId: 'wf-child' } },
        { id: 'call', type: 'tool', config: { retry: { maxAttempts: 1 } } },
      ],
      [
        ['in', 'sub'],
        ['in', 'call'],
      ],
    );
    const base = history(graph, childStarted());
    const error = { code: 'http_status', message: 'answered 400', retryable: false };
    const failed = decide(
      { type: 'FailNode', data: { nodeId: 'call', attempt: 1, taskId: taskId('call'), error, failedAt: at(2), now: at(2) } },
      stateOf(base),
    );
    expect(failed.map((e) => e.type)).toStrictEqual(['NodeFailed', 'ExecutionFailed']);
    expect(linkedTimersOf(stateOf([...base, ...failed]), failed)).toStrictEqual([
      { executionId: CHILD, timerId: 'parent_cancelled', kind: 'parent_cancelled', nodeId: '', dueAt: at(2) },
    ]);
  });
});
