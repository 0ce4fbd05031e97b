import { decide } from './ledger.decider';
import { foldLedger } from './ledger.evolve';
import { chargeCmd, grantCmd, holdCmd } from './ledger.fixtures';
import { availableBalance, holdOutcome, initialLedger, type LedgerState } from './ledger.state';

/** A ledger that held and charged `settled` holds (each charged 1 of 2): the settled map a busy day leaves. */
function ledgerWithSettled(settled: number): LedgerState {
  let state = foldLedger(decide(grantCmd(10 * settled), initialLedger()));
  for (let i = 0; i < settled; i++) {
    state = foldLedger(decide(holdCmd(`h${i}`, 2), state), state);
    state = foldLedger(decide(chargeCmd(`h${i}`, 1), state), state);
  }
  return state;
}

/** The fastest time of deciding and folding `rounds` hold-and-charge pairs one command at a time, as the handler does. */
function fastestRoundsMs(start: LedgerState, rounds: number): number {
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    let state = start;
    const began = performance.now();
    for (let i = 0; i < rounds; i++) {
      state = foldLedger(decide(holdCmd(`new-${run}-${i}`, 2), state), state);
      state = foldLedger(decide(chargeCmd(`new-${run}-${i}`, 1), state), state);
    }
    fastest = Math.min(fastest, performance.now() - began);
  }
  return fastest;
}

// A sanity check, not a benchmark: one command's fold must not cost in proportion to the holds
// the ledger settled before (copying the settled map per fold did: sixteen times the settled
// holds, sixteen times the time). Two sizes in the same process, so a slow host fails neither.
describe('folding a ledger with many settled holds', () => {
  it('costs about the same per command at 1,000 and at 16,000 settled holds', () => {
    const small = ledgerWithSettled(1000);
    const large = ledgerWithSettled(16_000);
    fastestRoundsMs(small, 200); // warm-up

    const ratio = fastestRoundsMs(large, 200) / fastestRoundsMs(small, 200);

    expect(ratio).toBeLessThan(5);
    expect(large.settled.size).toBe(16_000);
    expect([large.posted, large.held, availableBalance(large)]).toEqual([160_000 - 16_000, 0, 144_000]);
  });

  it('leaves the state it started from as it was', () => {
    const before = ledgerWithSettled(20);
    const after = foldLedger(decide(holdCmd('fresh', 2), before), before);

    expect([holdOutcome(after, 'fresh'), holdOutcome(before, 'fresh')]).toEqual(['held', undefined]);
    expect([before.holds.size, after.holds.size, before.held, after.held]).toEqual([0, 1, 0, 2]);
    expect(holdOutcome(after, 'h3')).toBe('charged');
  });

  it('folds from a state built of plain Maps and Sets', () => {
    const plain: LedgerState = {
      posted: 10,
      held: 0,
      holds: new Map(),
      settled: new Map([['old', { outcome: 'released', expiresAt: holdCmd('x', 1).data.expiresAt }]]),
      grants: new Set(['g']),
    };
    const after = foldLedger(decide(holdCmd('h', 4), plain), plain);

    expect([holdOutcome(after, 'h'), holdOutcome(after, 'old'), after.grants.has('g'), availableBalance(after)]).toEqual([
      'held',
      'released',
      true,
      6,
    ]);
    expect(plain.holds.size).toBe(0);
  });
});
