import type { ExecutionEvent, GraphNode, NodeError, RetryPolicyConfig, WorkflowGraph } from '@flowstack/contracts';
import { DEFAULT_RETRY_POLICY } from '@flowstack/contracts';
import type { FailNode, FireTimer } from './execution.commands';
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
  nodeCompleted,
  nodeScheduled,
  ran,
  startExecution,
  T0,
  taskId,
} from './execution.fixtures';
import { backoffMs, retryPolicyOf } from './retry.policy';
import { buildTopology } from './graph.topology';
import { toExecutionView } from './execution.view';

const flaky: NodeError = { code: 'http_status', message: 'answered 503', retryable: true };

/** in -> call -> out, with `call`'s config and the graph's defaults as given. */
function lineGraph(callConfig: Record<string, unknown> = {}, defaults?: WorkflowGraph['defaults']): WorkflowGraph {
  const call: GraphNode = { id: 'call', type: 'tool', config: callConfig };
  const graph = graphOf(
    [node('in', 'input'), call, node('out', 'output')],
    [
      ['in', 'call'],
      ['call', 'out'],
    ],
  );
  return defaults ? { ...graph, defaults } : graph;
}

/** The history up to `call`'s attempt `attempt` running (its earlier attempts failed and were retried). */
function callRunning(graph: WorkflowGraph, attempt = 1): ExecutionEvent[] {
  const events: ExecutionEvent[] = [
    executionStarted(graph, at(0)),
    ...ran('in', 'inline', {}),
    nodeScheduled('call', 'remote', at(0)),
  ];
  for (let a = 2; a <= attempt; a++) {
    events.push(...decide(fail(a - 1, at(a * 10)), foldEvents(events)));
    events.push(...decide(fire(`retry:call:${a}`, at(a * 10 + 5)), foldEvents(events)));
  }
  return events;
}

const fail = (attempt: number, now: string, error: NodeError = flaky, random?: number): FailNode => {
  const command = failNode('call', error, { attempt, now });
  return random === undefined ? command : { ...command, data: { ...command.data, random } };
};
const fire = (timerId: string, now: string, nodeId = 'call'): FireTimer => ({
  type: 'FireTimer',
  data: { timerId, nodeId, now },
});

/** What a failed attempt `attempt` records when the policy retries it after `delayMs`. */
function retried(attempt: number, now: string, delayMs: number, error: NodeError = flaky): ExecutionEvent[] {
  const dueAt = new Date(Date.parse(now) + delayMs).toISOString();
  return [
    {
      type: 'NodeFailed',
      data: {
        nodeId: 'call',
        attempt,
        taskId: taskId('call', attempt),
        error,
        startedAt: now,
        failedAt: now,
        durationMs: 0,
        willRetry: true,
        nextAttempt: { attempt: attempt + 1, dueAt },
      },
    },
    {
      type: 'NodeRetryScheduled',
      data: { nodeId: 'call', attempt: attempt + 1, timerId: `retry:call:${attempt + 1}`, dueAt, delayMs },
    },
  ];
}

/** What a failed attempt records when it is the end of the node (and of the execution). */
function failedForGood(attempt: number, now: string, error: NodeError = flaky): ExecutionEvent[] {
  return [
    {
      type: 'NodeFailed',
      data: {
        nodeId: 'call',
        attempt,
        taskId: taskId('call', attempt),
        error,
        startedAt: now,
        failedAt: now,
        durationMs: 0,
        willRetry: false,
      },
    },
    {
      type: 'ExecutionFailed',
      data: { error: { ...error, nodeId: 'call' }, failedAt: now, durationMs: Date.parse(now) - Date.parse(T0), totalCost: 0 },
    },
  ];
}

describe('FailNode with a retry policy', () => {
  it('retries a retryable failure by default: attempt 2 after 1 s', () => {
    given(...callRunning(lineGraph()))
      .when(fail(1, at(3)))
      .then(retried(1, at(3), 1_000));
  });

  it('doubles the wait with each attempt by default (1 s, 2 s) and fails for good after the third', () => {
    const graph = lineGraph();
    given(...callRunning(graph, 2))
      .when(fail(2, at(30)))
      .then(retried(2, at(30), 2_000));
    given(...callRunning(graph, 3))
      .when(fail(3, at(40)))
      .then(failedForGood(3, at(40)));
  });

  it('follows the node’s maxAttempts, initialIntervalMs and backoffCoefficient', () => {
    const graph = lineGraph({ retry: { maxAttempts: 5, initialIntervalMs: 200, backoffCoefficient: 3 } });
    given(...callRunning(graph, 3))
      .when(fail(3, at(40)))
      .then(retried(3, at(40), 1_800));
    given(...callRunning(graph, 5))
      .when(fail(5, at(60)))
      .then(failedForGood(5, at(60)));
  });

  it('caps the wait at maxIntervalMs', () => {
    const graph = lineGraph({
      retry: { maxAttempts: 10, initialIntervalMs: 1_000, backoffCoefficient: 10, maxIntervalMs: 5_000 },
    });
    given(...callRunning(graph, 3))
      .when(fail(3, at(40)))
      .then(retried(3, at(40), 5_000));
  });

  it('maxAttempts 1 never retries', () => {
    given(...callRunning(lineGraph({ retry: { maxAttempts: 1 } })))
      .when(fail(1, at(3)))
      .then(failedForGood(1, at(3)));
  });

  it('does not retry an error the tool-runner marked retryable: false', () => {
    const badRequest: NodeError = { code: 'http_status', message: 'answered 400', retryable: false };
    given(...callRunning(lineGraph()))
      .when(fail(1, at(3), badRequest))
      .then(failedForGood(1, at(3), badRequest));
  });

  it('retries an error that says nothing about retrying (absent is retryable)', () => {
    const unknown: NodeError = { code: 'weird', message: 'something' };
    given(...callRunning(lineGraph()))
      .when(fail(1, at(3), unknown))
      .then(retried(1, at(3), 1_000, unknown));
  });

  it('does not retry a code in the node’s nonRetryableErrorCodes, even a retryable one', () => {
    given(...callRunning(lineGraph({ retry: { nonRetryableErrorCodes: ['http_status'] } })))
      .when(fail(1, at(3)))
      .then(failedForGood(1, at(3)));
  });

  it('takes the workflow defaults for what the node does not set, and the node’s own over them', () => {
    const defaults = { retry: { maxAttempts: 2, initialIntervalMs: 50, nonRetryableErrorCodes: ['timeout'] } };
    // Only defaults: 50 ms, and a timeout is final.
    given(...callRunning(lineGraph({}, defaults)))
      .when(fail(1, at(3)))
      .then(retried(1, at(3), 50));
    const timeout: NodeError = { code: 'timeout', message: 'slow', retryable: true };
    given(...callRunning(lineGraph({}, defaults)))
      .when(fail(1, at(3), timeout))
      .then(failedForGood(1, at(3), timeout));
    // The node's own fields win field by field: its interval, the defaults' maxAttempts.
    const own = lineGraph({ retry: { initialIntervalMs: 70, nonRetryableErrorCodes: [] } }, defaults);
    given(...callRunning(own))
      .when(fail(1, at(3), timeout))
      .then(retried(1, at(3), 70, timeout));
    given(...callRunning(own, 2))
      .when(fail(2, at(30)))
      .then(failedForGood(2, at(30)));
  });

  it('shortens the wait by up to jitter of itself, from the draw in the command', () => {
    const graph = lineGraph({ retry: { initialIntervalMs: 1_000, jitter: 0.5 } });
    given(...callRunning(graph))
      .when(fail(1, at(3), flaky, 0))
      .then(retried(1, at(3), 1_000));
    given(...callRunning(graph))
      .when(fail(1, at(3), flaky, 0.5))
      .then(retried(1, at(3), 750));
    given(...callRunning(graph))
      .when(fail(1, at(3), flaky, 0.999999))
      .then(retried(1, at(3), 500));
  });

  it('keeps every jittered wait within [interval * (1 - jitter), interval], under the cap', () => {
    const state = foldEvents([executionStarted(lineGraph({ retry: { jitter: 0.3, maxIntervalMs: 3_000, maxAttempts: 10 } }))]);
    if (state.status === 'pending') throw new Error('not started');
    const policy = retryPolicyOf(state, 'call');
    for (let failed = 1; failed <= 6; failed++) {
      const interval = Math.min(3_000, 1_000 * 2 ** (failed - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffMs(policy, failed, i / 200);
        expect(delay).toBeGreaterThanOrEqual(Math.round(interval * 0.7));
        expect(delay).toBeLessThanOrEqual(interval);
      }
    }
  });

  it('uses the documented defaults when nothing is configured', () => {
    const graph = lineGraph();
    expect(retryPolicyOf({ graph, topology: buildTopology(graph) }, 'call')).toEqual(DEFAULT_RETRY_POLICY);
  });

  it('ignores a second delivery of the failed attempt while its retry waits', () => {
    given(...callRunning(lineGraph()), ...retried(1, at(3), 1_000))
      .when(fail(1, at(4)))
      .thenNothingHappened();
  });

  it('ignores a late success of the failed attempt while its retry waits', () => {
    given(...callRunning(lineGraph()), ...retried(1, at(3), 1_000))
      .when(completeNode('call', 'late', { attempt: 1, now: at(4) }))
      .thenNothingHappened();
  });

  it('marks the node retry_scheduled with the pending timer', () => {
    const state = foldEvents([...callRunning(lineGraph()), ...retried(1, at(3), 1_000)]);
    if (state.status === 'pending') throw new Error('not started');
    expect(state.nodes.call).toMatchObject({
      status: 'retry_scheduled',
      attempts: 1,
      timer: { timerId: 'retry:call:2', kind: 'retry', attempt: 2, dueAt: at(4) },
    });
    expect(toExecutionView(state).nodes.call).toMatchObject({
      status: 'retry_scheduled',
      nextAttempt: { attempt: 2, dueAt: at(4) },
    });
  });
});

describe('FireTimer', () => {
  const waiting = (): ExecutionEvent[] => [...callRunning(lineGraph()), ...retried(1, at(3), 1_000)];

  it('records TimerFired and schedules the next attempt of a retry timer', () => {
    given(...waiting())
      .when(fire('retry:call:2', at(4)))
      .then([
        {
          type: 'TimerFired',
          data: { timerId: 'retry:call:2', kind: 'retry', nodeId: 'call', attempt: 2, dueAt: at(4), firedAt: at(4) },
        },
        nodeScheduled('call', 'remote', at(4), 2),
      ]);
  });

  it('is a no-op for a timer that already fired', () => {
    const history = waiting();
    history.push(...decide(fire('retry:call:2', at(4)), foldEvents(history)));
    given(...history)
      .when(fire('retry:call:2', at(5)))
      .thenNothingHappened();
  });

  it('is a no-op for a timer the node does not wait on', () => {
    given(...waiting())
      .when(fire('retry:call:3', at(4)))
      .thenNothingHappened();
  });

  it('is a no-op once the execution finished', () => {
    const history = [...callRunning(lineGraph({ retry: { maxAttempts: 1 } })), ...failedForGood(1, at(3))];
    given(...history)
      .when(fire('retry:call:2', at(4)))
      .thenNothingHappened();
  });

  it('lets the retried attempt complete the execution', () => {
    const history = waiting();
    history.push(...decide(fire('retry:call:2', at(4)), foldEvents(history)));
    const events = decide(completeNode('call', { ok: true }, { attempt: 2, now: at(5) }), foldEvents(history));
    expect(events[0]).toEqual(nodeCompleted('call', { ok: true }, { attempt: 2, now: at(5) }));
    expect(events.at(-1)).toMatchObject({ type: 'NodeScheduled', data: { nodeId: 'out', attempt: 1 } });
  });

  it('is refused for a node that is not in the graph', () => {
    given(...waiting())
      .when(fire('retry:nope:2', at(4), 'nope'))
      .thenThrows('unknown_node', `node 'nope' is not in the graph of execution exec-1`);
  });
});

describe('delay node', () => {
  const delayGraph = (config: Record<string, unknown>): WorkflowGraph =>
    graphOf(
      [node('in', 'input'), { id: 'wait', type: 'delay', config }, node('out', 'output')],
      [
        ['in', 'wait'],
        ['wait', 'out'],
      ],
    );
  const started = (config: Record<string, unknown>): ExecutionEvent[] => [
    executionStarted(delayGraph(config), at(0)),
    nodeScheduled('in', 'inline', at(0)),
  ];

  it('is scheduled with a durable timer due `seconds` later', () => {
    given(...started({ seconds: 1.5 }))
      .when(completeNode('in', { n: 1 }, { now: at(2) }))
      .then([
        nodeCompleted('in', { n: 1 }, { now: at(2) }),
        nodeScheduled('wait', 'timer', at(2)),
        {
          type: 'TimerScheduled',
          data: { timerId: 'delay:wait:1', kind: 'delay', nodeId: 'wait', attempt: 1, dueAt: '2025-03-01T10:00:03.500Z' },
        },
      ]);
  });

  it('is due at `until`, or at once when `until` has passed', () => {
    const dueOf = (config: Record<string, unknown>): unknown =>
      decide(completeNode('in', {}, { now: at(2) }), foldEvents(started(config))).find((e) => e.type === 'TimerScheduled')?.data;
    expect(dueOf({ until: '2025-03-01T12:00:00+01:00' })).toMatchObject({ dueAt: '2025-03-01T11:00:00.000Z' });
    expect(dueOf({ until: '2020-01-01T00:00:00Z' })).toMatchObject({ dueAt: at(2) });
  });

  it('completes when its timer fires, passing its input through, and schedules what follows', () => {
    const history = started({ seconds: 1 });
    history.push(...decide(completeNode('in', { n: 1 }, { now: at(2) }), foldEvents(history)));
    given(...history)
      .when(fire('delay:wait:1', at(3), 'wait'))
      .then([
        {
          type: 'TimerFired',
          data: { timerId: 'delay:wait:1', kind: 'delay', nodeId: 'wait', attempt: 1, dueAt: at(3), firedAt: at(3) },
        },
        {
          type: 'NodeCompleted',
          data: {
            nodeId: 'wait',
            attempt: 1,
            taskId: taskId('wait'),
            output: { n: 1 },
            startedAt: at(2),
            completedAt: at(3),
            durationMs: 1000,
            cost: 0,
          },
        },
        nodeScheduled('out', 'inline', at(3)),
      ]);
  });

  it('is never completed by a result', () => {
    const history = started({ seconds: 1 });
    history.push(...decide(completeNode('in', {}, { now: at(2) }), foldEvents(history)));
    given(...history)
      .when(completeNode('wait', 'forged', { now: at(2) }))
      .thenNothingHappened();
  });

  it('as the entry point passes the execution input through', () => {
    const graph = graphOf([{ id: 'wait', type: 'delay', config: { seconds: 0 } }, node('out', 'output')], [['wait', 'out']]);
    const history = decide(startExecution(graph, at(0)), foldEvents([]));
    const events = decide(fire('delay:wait:1', at(0), 'wait'), foldEvents(history));
    expect(events[1]).toMatchObject({ type: 'NodeCompleted', data: { output: { question: 'why?' } } });
  });
});

// Keeps RetryPolicyConfig in the spec's vocabulary: a policy literal must type-check.
const _policy: RetryPolicyConfig = {
  maxAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
  jitter: 0.1,
};
void _policy;
