import { foldLedger, initialLedger } from '../domain';
import { LedgerStateCache } from './ledger-state.cache';
import { nextExpiry } from './ledger.handler';

const held = (holdId: string, expiresAt: string) =>
  ({ type: 'CreditsHeld', data: { holdId, amount: 1, executionId: 'e', nodeId: 'n', heldAt: expiresAt, expiresAt } }) as const;

describe('LedgerStateCache', () => {
  it('keeps the newest state of a ledger: an older position never replaces a newer one', () => {
    const cache = new LedgerStateCache(10);
    const a = initialLedger();
    const b = foldLedger([{ type: 'CreditsGranted', data: { grantId: 'g', amount: 5, grantedBy: 'u', grantedAt: 't' } }]);
    cache.set('credits-1', b, 7);
    cache.set('credits-1', a, 3);
    expect(cache.get('credits-1')).toEqual({ state: b, position: 7 });
  });

  it('drops the least recently used ledger beyond its capacity', () => {
    const cache = new LedgerStateCache(2);
    cache.set('a', initialLedger(), 1);
    cache.set('b', initialLedger(), 1);
    cache.get('a');
    cache.set('c', initialLedger(), 1);
    expect([cache.get('a') !== undefined, cache.get('b') !== undefined, cache.get('c') !== undefined]).toEqual([
      true,
      false,
      true,
    ]);
  });
});

describe('nextExpiry', () => {
  it('is the earliest expiry of the open holds, null when none is open', () => {
    expect(nextExpiry(initialLedger())).toBeNull();
    const state = foldLedger([held('late', '2026-12-01T10:05:00.000Z'), held('early', '2026-12-01T10:01:00.000Z')]);
    expect(nextExpiry(state)).toBe('2026-12-01T10:01:00.000Z');
    const released = foldLedger(
      [{ type: 'HoldExpired', data: { holdId: 'early', amount: 1, executionId: 'e', nodeId: 'n', expiredAt: 'x' } }],
      state,
    );
    expect(nextExpiry(released)).toBe('2026-12-01T10:05:00.000Z');
  });
});
