import { valueRefBytes, valueRefOf, type ExecutionEvent, type NodeError } from '@flowstack/contracts';
import type { CompleteNode } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import type { StartedExecution } from './execution.state';
import {
  at,
  completeNode,
  executionStarted,
  given,
  graphOf,
  node,
  nodeCompleted,
  nodeScheduled,
  taskId,
} from './execution.fixtures';

// in -> a -> b -> c: a line of transforms, each producing a value of its own.
const line = graphOf(
  [node('in', 'input'), node('a', 'transform'), node('b', 'transform'), node('c', 'transform')],
  [
    ['in', 'a'],
    ['a', 'b'],
    ['b', 'c'],
  ],
);
const BUDGET = 1_000;

/** A completion measured for a value budget of `BUDGET` bytes, as the handler sends it. */
const measured = (nodeId: string, output: unknown, outputBytes: number, now = at(1)): CompleteNode => {
  const command = completeNode(nodeId, output, { now });
  return { ...command, data: { ...command.data, outputBytes, valueBudgetBytes: BUDGET } };
};
/** The `NodeCompleted` a measured completion records. */
const recorded = (nodeId: string, output: unknown, outputBytes: number, now = at(1)): ExecutionEvent => {
  const event = nodeCompleted(nodeId, output, { now });
  return { ...event, data: { ...event.data, outputBytes } };
};

// `in` recorded 100 bytes, `a` 800: 900 of the 1,000 are used when `b` completes.
const bRunning: ExecutionEvent[] = [
  executionStarted(line),
  nodeScheduled('in', 'inline'),
  recorded('in', 'i', 100),
  nodeScheduled('a', 'inline'),
  recorded('a', 'a', 800),
  nodeScheduled('b', 'inline'),
];

const refused = (outputBytes: number, usedBytes = 900): NodeError => ({
  code: 'execution_memory_budget_exceeded',
  message:
    `node 'b' produced ${outputBytes} bytes, which would take the execution's node outputs to ` +
    `${usedBytes + outputBytes} bytes, past its value budget of ${BUDGET} bytes (EXECUTION_VALUE_BUDGET_BYTES)`,
  retryable: false,
  details: { budgetBytes: BUDGET, usedBytes, outputBytes },
});

const failedOnB = (outputBytes: number, usedBytes = 900): ExecutionEvent[] => [
  {
    type: 'NodeFailed',
    data: {
      nodeId: 'b',
      attempt: 1,
      taskId: taskId('b'),
      error: refused(outputBytes, usedBytes),
      startedAt: at(1),
      failedAt: at(1),
      durationMs: 0,
      willRetry: false,
    },
  },
  {
    type: 'ExecutionFailed',
    data: { error: { ...refused(outputBytes, usedBytes), nodeId: 'b' }, failedAt: at(1), durationMs: 1000, totalCost: 0 },
  },
];

describe('CompleteNode: the execution value budget', () => {
  it('records the output with its size and schedules on while the execution stays within the budget', () => {
    given(...bRunning)
      .when(measured('b', 'b', 99))
      .then([recorded('b', 'b', 99), nodeScheduled('c', 'inline', at(1))]);
  });

  it('lets a completion reach the budget exactly', () => {
    given(...bRunning)
      .when(measured('b', 'b', 100))
      .then([recorded('b', 'b', 100), nodeScheduled('c', 'inline', at(1))]);
  });

  it('fails the node, and with it the execution, when the output would pass the budget', () => {
    given(...bRunning)
      .when(measured('b', 'b', 101))
      .then(failedOnB(101));
  });

  it('counts completions recorded before outputBytes existed by their reference size or their measured JSON', () => {
    // The same history as `bRunning`, as it was recorded before the field: `in` is 100 bytes of
    // JSON (a 98-character string and its quotes), `a` a reference to an 800-byte value.
    const legacy: ExecutionEvent[] = [
      executionStarted(line),
      nodeScheduled('in', 'inline'),
      nodeCompleted('in', 'i'.repeat(98), { now: at(1) }),
      nodeScheduled('a', 'inline'),
      nodeCompleted('a', valueRefOf('ab'.repeat(32), 800), { now: at(1) }),
      nodeScheduled('b', 'inline'),
    ];
    expect((foldEvents(legacy) as StartedExecution).valueBytes).toBe(900);
    given(...legacy)
      .when(measured('b', 'b', 101))
      .then(failedOnB(101));
    given(...legacy)
      .when(measured('b', 'b', 100))
      .then([recorded('b', 'b', 100), nodeScheduled('c', 'inline', at(1))]);
  });

  it('never lets a reference claiming a negative size lower the total (an expression can build one)', () => {
    const forged = { ...valueRefOf('cd'.repeat(32), 1), size: -1e12 };
    const history: ExecutionEvent[] = [
      ...bRunning.slice(0, 4),
      nodeCompleted('a', forged, { now: at(1) }),
      nodeScheduled('b', 'inline'),
    ];
    expect((foldEvents(history) as StartedExecution).valueBytes).toBe(100);
    expect(valueRefBytes(forged)).toBe(0);
  });

  it('checks nothing for a completion that carries no size or no budget', () => {
    const unsized = completeNode('b', 'b', { now: at(1) });
    given(...bRunning)
      .when({ ...unsized, data: { ...unsized.data, valueBudgetBytes: 10 } })
      .then([nodeCompleted('b', 'b', { now: at(1) }), nodeScheduled('c', 'inline', at(1))]);
    given(...bRunning)
      .when({ ...unsized, data: { ...unsized.data, outputBytes: 5_000 } })
      .then([recorded('b', 'b', 5_000, at(1)), nodeScheduled('c', 'inline', at(1))]);
  });

  it('decides the same on replay: the total comes from the recorded events, not from what a process saw', () => {
    // One replica runs the line to the refusal, deciding each completion on the state it folds.
    const commands = [measured('in', 'i', 100), measured('a', 'a', 800), measured('b', 'b', 150)];
    let history: ExecutionEvent[] = [executionStarted(line), nodeScheduled('in', 'inline')];
    const decisions = commands.map((command) => {
      const events = decide(command, foldEvents(history));
      history = [...history, ...events];
      return events;
    });
    expect(decisions[2]).toStrictEqual(failedOnB(150));
    // Another replica (or a restart) folds the stored stream from scratch: same total, same status,
    // and re-deciding the refused completion on the state before it gives the same events.
    const replayed = foldEvents(history) as StartedExecution;
    expect(replayed.valueBytes).toBe(900);
    expect(replayed.status).toBe('failed');
    const beforeRefusal = history.slice(0, history.length - 2);
    expect(decide(commands[2], foldEvents(beforeRefusal))).toStrictEqual(decisions[2]);
    // A redelivery of the refused result after the failure is old news.
    expect(decide(commands[2], replayed)).toStrictEqual([]);
  });
});
