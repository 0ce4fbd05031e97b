import type { StoredEvent } from './event.types';
import { PublishedLedger } from './published-ledger';

const event = (eventId: string) => ({ eventId }) as StoredEvent;

describe('PublishedLedger', () => {
  it('answers true once per recorded event id', () => {
    const ledger = new PublishedLedger();
    ledger.record([event('a'), event('b')]);
    expect(ledger.take('a')).toBe(true);
    expect(ledger.take('a')).toBe(false);
    expect(ledger.take('c')).toBe(false);
    expect(ledger.size).toBe(1);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const ledger = new PublishedLedger(3);
    ledger.record(['a', 'b', 'c', 'd', 'e'].map(event));
    expect(ledger.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => ledger.take(id))).toEqual([false, false, true, true, true]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new PublishedLedger(0)).toThrow(RangeError);
    expect(() => new PublishedLedger(1.5)).toThrow(RangeError);
  });
});
