import type { ExecutionEvent } from '@flowstack/contracts';
import type { ExecutionCommand } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { at, completeNode, graphOf, node, startExecution } from './execution.fixtures';
import { pendingInlineNodes, scheduledRemoteNodes, scopeOf } from './execution.queries';
import type { StartedExecution } from './execution.state';
import { toExecutionView } from './execution.view';

// input -> (a, b: parallel remote tools) -> join (transform) -> check (condition) -> yes | no
const graph = graphOf(
  [
    node('input', 'input'),
    node('a', 'tool'),
    node('b', 'tool'),
    node('join', 'transform'),
    node('check', 'condition'),
    node('output_yes', 'output'),
    node('output_no', 'output'),
  ],
  [
    ['input', 'a'],
    ['input', 'b'],
    ['a', 'join'],
    ['b', 'join'],
    ['join', 'check'],
    ['check', 'output_yes', 'true'],
    ['check', 'output_no', 'false'],
  ],
);

/** The stream as the orchestrator sees it: every decision is taken on the fold of all before. */
function stream() {
  const log: ExecutionEvent[] = [];
  const commands: ExecutionCommand[] = [];
  return {
    log,
    commands,
    state: (): StartedExecution => foldEvents(log) as StartedExecution,
    send(command: ExecutionCommand): string[] {
      const events = decide(command, foldEvents(log));
      // Pure: deciding the same command on the same history again gives the same events.
      expect(decide(command, foldEvents(log))).toStrictEqual(events);
      log.push(...events);
      commands.push(command);
      return events.map((event) => ('nodeId' in event.data ? `${event.type} ${event.data.nodeId}` : event.type));
    },
  };
}

describe('the example workflow, end to end', () => {
  it('runs input, both tools in parallel, the join, the condition and the taken output', () => {
    const run = stream();

    expect(run.send(startExecution(graph, at(0)))).toStrictEqual(['ExecutionStarted', 'NodeScheduled input']);
    expect(pendingInlineNodes(run.state())).toStrictEqual(['input']);

    expect(run.send(completeNode('input', { topic: 'llamas' }, { now: at(1) }))).toStrictEqual([
      'NodeCompleted input',
      'NodeScheduled a',
      'NodeScheduled b',
    ]);
    expect(scheduledRemoteNodes(run.log).map((task) => task.nodeId)).toStrictEqual(['a', 'b']);
    expect(scopeOf(run.state()).nodes).toStrictEqual({ input: { output: { topic: 'llamas' } } });

    // b finishes first: the join waits for a.
    expect(run.send(completeNode('b', { votes: 7 }, { startedAt: at(1), finishedAt: at(3), cost: 30 }))).toStrictEqual([
      'NodeCompleted b',
    ]);
    expect(run.send(completeNode('a', { votes: 5 }, { startedAt: at(1), finishedAt: at(4), cost: 50 }))).toStrictEqual([
      'NodeCompleted a',
      'NodeScheduled join',
    ]);
    // A redelivered result of b changes nothing.
    expect(run.send(completeNode('b', { votes: 7 }, { startedAt: at(1), finishedAt: at(3), cost: 30 }))).toStrictEqual([]);

    expect(run.send(completeNode('join', 12, { now: at(5) }))).toStrictEqual(['NodeCompleted join', 'NodeScheduled check']);
    expect(run.send(completeNode('check', true, { now: at(5) }))).toStrictEqual([
      'NodeCompleted check',
      'NodeScheduled output_yes',
      'NodeSkipped output_no',
    ]);
    expect(pendingInlineNodes(run.state())).toStrictEqual(['output_yes']);
    expect(run.send(completeNode('output_yes', 'llamas win 12', { now: at(6) }))).toStrictEqual([
      'NodeCompleted output_yes',
      'ExecutionCompleted',
    ]);
    expect(run.log.at(-1)).toStrictEqual({
      type: 'ExecutionCompleted',
      data: { output: 'llamas win 12', completedAt: at(6), durationMs: 6000, totalCost: 80 },
    });

    // Every command delivered again, in any order, is a no-op on the finished stream.
    for (const command of [...run.commands].reverse()) expect(run.send(command)).toStrictEqual([]);

    expect(toExecutionView(run.state())).toStrictEqual({
      id: 'exec-1',
      workflowId: 'wf-1',
      workflowVersion: 3,
      status: 'completed',
      input: { question: 'why?' },
      output: 'llamas win 12',
      nodes: {
        input: {
          status: 'succeeded',
          attempts: 1,
          output: { topic: 'llamas' },
          startedAt: at(1),
          finishedAt: at(1),
          durationMs: 0,
        },
        a: {
          status: 'succeeded',
          attempts: 1,
          output: { votes: 5 },
          startedAt: at(1),
          finishedAt: at(4),
          durationMs: 3000,
        },
        b: {
          status: 'succeeded',
          attempts: 1,
          output: { votes: 7 },
          startedAt: at(1),
          finishedAt: at(3),
          durationMs: 2000,
        },
        join: { status: 'succeeded', attempts: 1, output: 12, startedAt: at(5), finishedAt: at(5), durationMs: 0 },
        check: { status: 'succeeded', attempts: 1, output: true, startedAt: at(5), finishedAt: at(5), durationMs: 0 },
        output_yes: {
          status: 'succeeded',
          attempts: 1,
          output: 'llamas win 12',
          startedAt: at(6),
          finishedAt: at(6),
          durationMs: 0,
        },
        output_no: { status: 'skipped', attempts: 0, finishedAt: at(5) },
      },
      totalCost: 80,
      startedAt: at(0),
      finishedAt: at(6),
      durationMs: 6000,
    });
  });
});
