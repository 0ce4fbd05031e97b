import type { LedgerState } from '../domain';

interface Entry {
  state: LedgerState;
  /** Stream position the state is folded up to. */
  position: number;
}

/**
 * Folded ledgers this replica has seen, least recently used first out (the orchestrator's
 * `ExecutionStateCache`). A hit can be stale when another replica appended since: a decision on it
 * is refused by the append's expected position (a version conflict), after which only the events
 * after `position` are read and folded. So the cache never makes a decision stale; it saves a read
 * per command and re-folding whole ledgers.
 */
export class LedgerStateCache {
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

  set(streamId: string, state: LedgerState, position: number): void {
    const current = this.entries.get(streamId);
    // Concurrent commands finish in any order: never replace a state with an older one.
    if (current && current.position > position) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, position });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
