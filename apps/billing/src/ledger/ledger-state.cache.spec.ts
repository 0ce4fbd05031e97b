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

describe('LedgerStateCache compaction', () => {
  const T = Date.parse('2026-12-02T10:00:00.000Z');
  const settledAt = (holdId: string, expiresAt: number) => [
    held(holdId, new Date(expiresAt).toISOString()),
    {
      type: 'CreditsReleased',
      data: { holdId, amount: 1, executionId: 'e', nodeId: 'n', reason: 'failed', releasedAt: 'x' },
    } as const,
  ];

  it('forgets settled holds past the horizon once the ledger holds enough, then at most every interval', () => {
    let now = T;
    const cache = new LedgerStateCache(10, { horizonMs: 1000, minSettled: 3, everyMs: 500, now: () => now });
    const old = foldLedger([...settledAt('old-1', T - 5000), ...settledAt('old-2', T - 5000)]);
    cache.set('credits-1', old, 4);
    // Two settled holds: under the threshold, kept.
    expect(cache.get('credits-1')?.state.settled.size).toBe(2);

    const three = foldLedger([...settledAt('recent', T - 10), held('open', new Date(T + 60_000).toISOString())], old);
    cache.set('credits-1', three, 7);
    // Three settled: compacted at once; the two that expired 5 s ago go, the recent one and the open hold stay.
    const compacted = cache.get('credits-1')!;
    expect([...compacted.state.settled].map(([id]) => id)).toEqual(['recent']);
    expect([compacted.position, compacted.state.holds.has('open'), compacted.state.held]).toEqual([7, true, 1]);

    // Within the interval nothing is compacted again, however old.
    const more = foldLedger([...settledAt('old-3', T - 5000), ...settledAt('old-4', T - 5000)], compacted.state);
    cache.set('credits-1', more, 11);
    expect(cache.get('credits-1')?.state.settled.size).toBe(3);
    now = T + 600;
    cache.set('credits-1', more, 12);
    expect([...cache.get('credits-1')!.state.settled].map(([id]) => id)).toEqual(['recent']);
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
