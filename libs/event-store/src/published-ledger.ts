import type { StoredEvent } from './event.types';

/** How many acked event ids a ledger remembers before it forgets the oldest. */
export const DEFAULT_LEDGER_CAPACITY = 50_000;

/**
 * The ids of events this process's fast path published and saw acked (with the messages sent
 * alongside them), so the outbox relay running in the same process can skip them instead of
 * publishing every event a second time for JetStream to drop as a duplicate.
 *
 * It only ever saves work: an event missing here (another process wrote it, the fast-path ack
 * came after the relay read it, the ledger was full and forgot it, the process restarted) is
 * relayed as before and deduplicated by `Nats-Msg-Id`. Bounded, oldest forgotten first, so a
 * process that never relays (a follower replica) stays flat.
 */
export class PublishedLedger {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = DEFAULT_LEDGER_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ledger capacity must be a positive integer`);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Remembers events whose publish (and everything published alongside) was acked. */
  record(events: readonly StoredEvent[]): void {
    for (const event of events) {
      if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value as string);
      this.ids.add(event.eventId);
    }
  }

  /** True if the event was recorded; it is forgotten then (the relay passes each event once). */
  take(eventId: string): boolean {
    return this.ids.delete(eventId);
  }
}
