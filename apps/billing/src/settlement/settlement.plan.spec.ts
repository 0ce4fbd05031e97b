import { foldLedger, initialLedger, type LedgerState } from '../domain';
import { openHoldOfNodeEnd, openHoldsOf, settleExecutionEnd, settleNodeEnd, type ExecutionFact } from './settlement.plan';

const EXEC = 'e1';
const ledgerWith = (...holds: Array<[string, string]>): LedgerState =>
  foldLedger(
    [
      { type: 'CreditsGranted', data: { grantId: 'g', amount: 1_000, grantedBy: 'u', grantedAt: 't' } },
      ...holds.map(([holdId, executionId]) => ({
        type: 'CreditsHeld' as const,
        data: { holdId, amount: 100, executionId, nodeId: holdId.split(':')[1], heldAt: 't', expiresAt: '2100-01-01T00:00:00Z' },
      })),
    ],
    initialLedger(),
  );
let seq = 0;
const fact = (type: string, data: Record<string, unknown>, streamPosition = ++seq): ExecutionFact => ({
  eventId: `ev-${streamPosition}`,
  streamPosition,
  type,
  data,
});

describe('settlement plan', () => {
  it('openHoldsOf lists the open holds of one execution only', () => {
    expect([...openHoldsOf(ledgerWith(['e1:a:1', EXEC], ['e2:a:1', 'e2']), EXEC)]).toEqual(['e1:a:1']);
  });

  it("openHoldOfNodeEnd finds a node end's own open hold with one lookup, and nothing else", () => {
    const ledger = ledgerWith(['e1:a:1', EXEC], ['e1:b:1', EXEC], ['e2:a:1', 'e2']);
    expect([...openHoldOfNodeEnd(ledger, EXEC, { data: { taskId: 'e1:a:1' } })]).toEqual(['e1:a:1']);
    // Another execution's hold under this task id, a hold not open, no task id: nothing to settle.
    expect(openHoldOfNodeEnd(ledger, EXEC, { data: { taskId: 'e2:a:1' } }).size).toBe(0);
    expect(openHoldOfNodeEnd(ledger, EXEC, { data: { taskId: 'e1:c:1' } }).size).toBe(0);
    expect(openHoldOfNodeEnd(ledger, EXEC, { data: {} }).size).toBe(0);
    // Never a scan: the lookup alone answers, whatever else is open.
    const holds = ledger.holds;
    const scanless = {
      ...ledger,
      holds: {
        ...holds,
        get: holds.get.bind(holds),
        [Symbol.iterator]: () => {
          throw new Error('scanned');
        },
      },
    };
    expect([...openHoldOfNodeEnd(scanless as typeof ledger, EXEC, { data: { taskId: 'e1:b:1' } })]).toEqual(['e1:b:1']);
  });

  it("a NodeCompleted charges its attempt's open hold its cost, caused by the event", () => {
    const done = fact('NodeCompleted', { nodeId: 'a', attempt: 1, taskId: 'e1:a:1', cost: 42 });
    expect(settleNodeEnd(done, new Set(['e1:a:1']))).toEqual([
      { type: 'ChargeHold', holdId: 'e1:a:1', cost: 42, causationEventId: done.eventId },
    ]);
  });

  it('a NodeFailed releases its attempt', () => {
    const failed = fact('NodeFailed', { nodeId: 'a', attempt: 1, taskId: 'e1:a:1', willRetry: true });
    expect(settleNodeEnd(failed, new Set(['e1:a:1']))).toEqual([{ type: 'ReleaseHold', holdId: 'e1:a:1', reason: 'failed' }]);
  });

  it('no open hold (an uncosted node, a copied result, a settled hold): nothing', () => {
    expect(settleNodeEnd(fact('NodeCompleted', { taskId: 'e1:b:1', cost: 0 }), new Set(['e1:a:1']))).toEqual([]);
    expect(settleNodeEnd(fact('NodeCompleted', { taskId: 'e1:a:0', cost: 0, copiedFrom: {} }), new Set(['e1:a:1']))).toEqual([]);
  });

  it("an execution's end charges recorded holds that completed, releases the others, leaves later cycles alone", () => {
    const heldA = fact('NodeCostHeld', { holdId: 'e1:a:1' }, 2);
    const doneA = fact('NodeCompleted', { taskId: 'e1:a:1', cost: 7 }, 4);
    const heldB = fact('NodeCostHeld', { holdId: 'e1:b:1' }, 5);
    const end = fact('ExecutionFailed', {}, 8);
    // A retry's next attempt, recorded after the end this delivery settles.
    const heldB2 = fact('NodeCostHeld', { holdId: 'e1:b:2' }, 10);
    const open = new Set(['e1:a:1', 'e1:b:1', 'e1:b:2']);
    expect(settleExecutionEnd(end, [heldA, doneA, heldB, heldB2], open)).toEqual([
      { type: 'ChargeHold', holdId: 'e1:a:1', cost: 7, causationEventId: doneA.eventId },
      { type: 'ReleaseHold', holdId: 'e1:b:1', reason: 'failed' },
    ]);
    expect(settleExecutionEnd(fact('ExecutionCancelled', {}, 9), [heldB], new Set(['e1:b:1']))).toEqual([
      { type: 'ReleaseHold', holdId: 'e1:b:1', reason: 'cancelled' },
    ]);
    expect(settleExecutionEnd(fact('ExecutionCompleted', {}, 9), [heldB], new Set(['e1:b:1']))).toEqual([
      { type: 'ReleaseHold', holdId: 'e1:b:1', reason: 'not_run' },
    ]);
  });

  it('already settled holds and holds the stream never recorded: nothing', () => {
    const held = fact('NodeCostHeld', { holdId: 'e1:a:1' }, 2);
    expect(settleExecutionEnd(fact('ExecutionFailed', {}, 5), [held], new Set())).toEqual([]);
    expect(settleExecutionEnd(fact('ExecutionFailed', {}, 5), [], new Set(['e1:x:1']))).toEqual([]);
  });
});
