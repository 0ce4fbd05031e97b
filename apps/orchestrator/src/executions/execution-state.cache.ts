import type { ExecutionState } from '../domain';

interface Entry {
  state: ExecutionState;
  /** Stream position the state is folded up to. */
  position: number;
}

/**
 * Folded execution states this replica has seen, least recently used first out. A hit can be stale
 * (another replica appended since): the handler decides on it first and the append's expected
 * position rejects a stale decision, after which it reads the events after `position` from
 * Postgres and decides again. So the cache can never make a decision stale; it saves a read per
 * step and re-folding whole streams.
 */
export class ExecutionStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly capacity: number) {}

  get(streamId: string): Entry | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  /** Keeps the state unless the entry holds a later one (two decisions of one stream can finish out of order). */
  set(streamId: string, state: ExecutionState, position: number): void {
    const held = this.entries.get(streamId);
    if (held && held.position > position) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, position });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
