import type { ExecutionEvent, GraphNode, NodeError, WorkflowGraph } from '@flowstack/contracts';
import type { FireTimer } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import {
  at,
  completeNode,
  executionStarted,
  failNode,
  given,
  graphOf,
  node,
  nodeScheduled,
  T0,
  taskId,
} from './execution.fixtures';

/** in -> call (a tool with a 5 s schedule-to-close timeout, retried after 1 s) -> out. */
function line(config: Record<string, unknown> = { scheduleToCloseTimeoutMs: 5000 }, defaults?: object): WorkflowGraph {
  const call: GraphNode = { id: 'call', type: 'tool', config: { retry: { initialIntervalMs: 1000, maxAttempts: 5 }, ...config } };
  return {
    ...graphOf(
      [node('in', 'input'), call, node('out', 'output')],
      [
        ['in', 'call'],
        ['call', 'out'],
      ],
    ),
    ...(defaults ? { defaults } : {}),
  };
}

const flaky: NodeError = { code: 'http_status', message: 'answered 503', retryable: true };
const fire = (timerId: string, nodeId: string, now: string): FireTimer => ({ type: 'FireTimer', data: { timerId, nodeId, now } });

function history(graph: WorkflowGraph, ...commands: Parameters<typeof decide>[0][]): ExecutionEvent[] {
  const events: ExecutionEvent[] = [executionStarted(graph, T0), nodeScheduled('in', 'inline')];
  for (const command of [completeNode('in', {}), ...commands]) events.push(...decide(command, foldEvents(events)));
  return events;
}

describe('schedule-to-close timeout', () => {
  it('arms a schedule_to_close timer with the first attempt of a remote node', () => {
    given(executionStarted(line()), nodeScheduled('in', 'inline'))
      .when(completeNode('in', {}, { now: at(1) }))
      .then([
        { type: 'NodeCompleted', data: expect.objectContaining({ nodeId: 'in' }) as never },
        {
          type: 'NodeScheduled',
          data: { nodeId: 'call', attempt: 1, taskId: taskId('call'), mode: 'remote', scheduledAt: at(1) },
        },
        {
          type: 'TimerScheduled',
          data: { timerId: 'deadline:call:1', kind: 'schedule_to_close', nodeId: 'call', attempt: 1, dueAt: at(6) },
        },
      ]);
  });

  it('takes the workflow default, and arms nothing without one', () => {
    const withDefault = history(line({}, { scheduleToCloseTimeoutMs: 2000 }));
    expect(withDefault.filter((e) => e.type === 'TimerScheduled')).toEqual([
      { type: 'TimerScheduled', data: expect.objectContaining({ kind: 'schedule_to_close', dueAt: at(2) }) },
    ]);
    expect(history(line({})).some((e) => e.type === 'TimerScheduled')).toBe(false);
  });

  it('keeps the deadline across attempts: a retry arms no second one', () => {
    const events = history(line(), failNode('call', flaky, { now: at(1) }));
    const retried = decide(fire('retry:call:2', 'call', at(2)), foldEvents(events));
    expect(retried.map((e) => e.type)).toEqual(['TimerFired', 'NodeScheduled']);
    expect(foldEvents([...events, ...retried])).toMatchObject({
      nodes: { call: { status: 'scheduled', attempts: 2, deadline: { timerId: 'deadline:call:1', dueAt: at(5) } } },
    });
  });

  it('fails the node with timeout (not retried) and the execution when it passes, even between attempts', () => {
    const waiting = history(line(), failNode('call', flaky, { now: at(1) }));
    given(...waiting)
      .when(fire('deadline:call:1', 'call', at(5)))
      .then([
        {
          type: 'TimerFired',
          data: {
            timerId: 'deadline:call:1',
            kind: 'schedule_to_close',
            nodeId: 'call',
            attempt: 1,
            dueAt: at(5),
            firedAt: at(5),
          },
        },
        {
          type: 'NodeFailed',
          data: {
            nodeId: 'call',
            attempt: 1,
            taskId: taskId('call'),
            error: {
              code: 'timeout',
              message: "node 'call' did not succeed within its schedule-to-close timeout (5000 ms)",
              retryable: false,
              details: { timeout: 'schedule_to_close', timeoutMs: 5000 },
            },
            failedAt: at(5),
            willRetry: false,
          },
        },
        {
          type: 'ExecutionFailed',
          data: {
            error: expect.objectContaining({ code: 'timeout', nodeId: 'call' }) as never,
            failedAt: at(5),
            durationMs: 5000,
            totalCost: 0,
          },
        },
      ]);
  });

  it('ignores a running attempt result after the deadline failed the node', () => {
    const events = history(line(), fire('deadline:call:1', 'call', at(5)));
    given(...events)
      .when(completeNode('call', { late: true }, { now: at(6) }))
      .thenNothingHappened();
  });

  it('records only the firing when the node succeeded in time, and nothing once the run ended', () => {
    const events = history(line(), completeNode('call', { ok: 1 }, { now: at(2) }));
    // `out` is inline: the run is still active until it is evaluated.
    given(...events)
      .when(fire('deadline:call:1', 'call', at(5)))
      .then([
        {
          type: 'TimerFired',
          data: {
            timerId: 'deadline:call:1',
            kind: 'schedule_to_close',
            nodeId: 'call',
            attempt: 1,
            dueAt: at(5),
            firedAt: at(5),
          },
        },
      ]);
    const done = [...events, ...decide(completeNode('out', 1, { now: at(3) }), foldEvents(events))];
    given(...done)
      .when(fire('deadline:call:1', 'call', at(5)))
      .thenNothingHappened();
  });

  it('starts the clock again on a retry of the execution: a new deadline, the old one fires into nothing', () => {
    const failed = history(line(), fire('deadline:call:1', 'call', at(5)));
    const retried = [...failed, ...decide({ type: 'RetryExecution', data: { by: 'u', now: at(10) } }, foldEvents(failed))];
    expect(retried.slice(-2)).toEqual([
      { type: 'NodeScheduled', data: expect.objectContaining({ nodeId: 'call', attempt: 2 }) as never },
      {
        type: 'TimerScheduled',
        data: { timerId: 'deadline:call:2', kind: 'schedule_to_close', nodeId: 'call', attempt: 2, dueAt: at(15) },
      },
    ]);
    given(...retried)
      .when(fire('deadline:call:1', 'call', at(11)))
      .thenNothingHappened();
  });
});
