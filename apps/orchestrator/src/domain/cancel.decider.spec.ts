import type { ExecutionEvent, GraphNode, NodeError, WorkflowGraph } from '@flowstack/contracts';
import type { CancelExecution, FireTimer } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { at, completeNode, executionStarted, failNode, given, graphOf, node, nodeScheduled, T0 } from './execution.fixtures';
import { toExecutionView } from './execution.view';

/** in -> (call: a tool, slow: a tool) -> out (a join). */
function forkGraph(): WorkflowGraph {
  const call: GraphNode = { id: 'call', type: 'tool', config: { retry: { initialIntervalMs: 1000 } } };
  return graphOf(
    [node('in', 'input'), call, node('slow', 'tool'), node('out', 'output')],
    [
      ['in', 'call'],
      ['in', 'slow'],
      ['call', 'out'],
      ['slow', 'out'],
    ],
  );
}

const cancel = (now: string, reason?: string, by = 'user-7'): CancelExecution => ({
  type: 'CancelExecution',
  data: { by, now, ...(reason === undefined ? {} : { reason }) },
});
const fire = (timerId: string, nodeId: string, now: string): FireTimer => ({ type: 'FireTimer', data: { timerId, nodeId, now } });
const flaky: NodeError = { code: 'http_status', message: 'answered 503', retryable: true };

/** The run after `in` succeeded, then each command decided on the history so far. */
function history(graph: WorkflowGraph, ...commands: Parameters<typeof decide>[0][]): ExecutionEvent[] {
  const events: ExecutionEvent[] = [executionStarted(graph, T0), nodeScheduled('in', 'inline')];
  for (const command of [completeNode('in', {}), ...commands]) events.push(...decide(command, foldEvents(events)));
  return events;
}

describe('CancelExecution', () => {
  const graph = forkGraph();
  // Both tools are scheduled (remote), the join is pending.
  const running = history(graph);

  it('records ExecutionCancelled by the actor with the reason, naming every unfinished node in graph order', () => {
    given(...running)
      .when(cancel(at(12), 'wrong input'))
      .then([
        {
          type: 'ExecutionCancelled',
          data: {
            by: 'user-7',
            reason: 'wrong input',
            cancelledAt: at(12),
            durationMs: 12_000,
            totalCost: 0,
            cancelledNodes: ['call', 'slow', 'out'],
          },
        },
      ]);
  });

  it('records a null reason when none is given, and leaves succeeded nodes out', () => {
    const events = history(graph, completeNode('call', { ok: 1 }, { now: at(2), cost: 40 }));
    given(...events)
      .when(cancel(at(5)))
      .then([
        {
          type: 'ExecutionCancelled',
          data: {
            by: 'user-7',
            reason: null,
            cancelledAt: at(5),
            durationMs: 5_000,
            totalCost: 40,
            cancelledNodes: ['slow', 'out'],
          },
        },
      ]);
  });

  it('folds to a cancelled execution whose unfinished nodes are cancelled, and the view says who and why', () => {
    const events = [...running, ...decide(cancel(at(12), 'wrong input'), foldEvents(running))];
    const state = foldEvents(events);
    expect(state.status).toBe('cancelled');
    if (state.status !== 'cancelled') return;
    expect(Object.values(state.nodes).map((n) => n.status)).toEqual(['succeeded', 'cancelled', 'cancelled', 'cancelled']);
    expect(toExecutionView(state)).toMatchObject({
      status: 'cancelled',
      cancellation: { by: 'user-7', reason: 'wrong input' },
      finishedAt: at(12),
      durationMs: 12_000,
      nodes: { call: { status: 'cancelled', finishedAt: at(12) }, out: { status: 'cancelled' } },
    });
  });

  it('is a no-op on a cancelled execution (a second cancel changes nothing)', () => {
    const events = [...running, ...decide(cancel(at(12)), foldEvents(running))];
    given(...events)
      .when(cancel(at(20), 'again'))
      .thenNothingHappened();
  });

  it('ignores the results of cancelled attempts, success or failure', () => {
    const events = [...running, ...decide(cancel(at(12)), foldEvents(running))];
    given(...events)
      .when(completeNode('call', { late: true }, { now: at(13) }))
      .thenNothingHappened();
    given(...events)
      .when(failNode('slow', { code: 'cancelled', message: 'aborted', retryable: false }, { now: at(13) }))
      .thenNothingHappened();
  });

  it('cancels a node waiting on its retry timer, whose timer then fires into nothing', () => {
    const events = history(graph, failNode('call', flaky, { now: at(3) }));
    const before = foldEvents(events);
    expect(before.status !== 'pending' && before.nodes.call.status).toBe('retry_scheduled');
    const cancelled = decide(cancel(at(4)), before);
    expect(cancelled).toMatchObject([{ type: 'ExecutionCancelled', data: { cancelledNodes: ['call', 'slow', 'out'] } }]);
    const after = [...events, ...cancelled];
    const state = foldEvents(after);
    expect(state.status !== 'pending' && state.nodes.call).toEqual({
      status: 'cancelled',
      attempts: 1,
      taskId: 'exec-1:call:1',
      mode: 'remote',
      scheduledAt: T0,
      error: flaky,
      startedAt: at(3),
      finishedAt: at(4),
      durationMs: 0,
    });
    given(...after)
      .when(fire('retry:call:2', 'call', at(5)))
      .thenNothingHappened();
  });

  it('refuses a completed or failed execution with execution_finished', () => {
    const line = graphOf([node('in', 'input'), node('call', 'tool')], [['in', 'call']]);
    const base = history(line);
    const completed = [...base, ...decide(completeNode('call', 1, { now: at(1) }), foldEvents(base))];
    given(...completed)
      .when(cancel(at(2)))
      .thenThrows('execution_finished', 'execution exec-1 is completed already');
    const noRetry = { ...line, nodes: [line.nodes[0], { ...line.nodes[1], config: { retry: { maxAttempts: 1 } } }] };
    const baseFail = history(noRetry);
    const failed = [...baseFail, ...decide(failNode('call', flaky, { now: at(1) }), foldEvents(baseFail))];
    given(...failed)
      .when(cancel(at(2)))
      .thenThrows('execution_finished', 'execution exec-1 is failed already');
  });

  it('refuses an execution that never started', () => {
    given()
      .when(cancel(at(1)))
      .thenThrows('execution_not_started', 'CancelExecution needs a started execution');
  });
});
