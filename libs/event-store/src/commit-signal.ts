import type { StoredEvent } from './event.types';

/** Something that can tell a log follower "events just committed": see `CheckpointedProjection.wakeOn`. */
export interface WakeSource {
  /** Calls `listener` after each commit it sees; returns the unsubscribe. */
  subscribe(listener: (events: readonly StoredEvent[]) => void): () => void;
}

/**
 * In-process "events committed" signal: `PostgresEventStore` fires it after every commit it
 * knows of (its own appends, and `publish()` after a caller's COMMIT), so a projection in the
 * same process can read the log at once instead of waiting for its next poll. It sees only this
 * process's writes: a follower keeps polling for everyone else's.
 */
export class CommitSignal implements WakeSource {
  private readonly listeners = new Set<(events: readonly StoredEvent[]) => void>();

  subscribe(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Tells every listener; a listener that throws never fails the writer's append. */
  notify(events: readonly StoredEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch {
        // A follower's bug must not turn a committed append into a failed one; it still polls.
      }
    }
  }
}
