import { compactLedger, type LedgerState } from '../domain';

interface Entry {
  state: LedgerState;
  /** Stream position the state is folded up to. */
  position: number;
  /** When this entry's settled holds were last compacted (epoch ms). */
  compactedAt: number;
}

/** When and how far back the cache forgets settled holds (see `LedgerStateCache`). */
export interface LedgerCompaction {
  /** Settled holds whose expiry is older than this are forgotten, ms. Default one day. */
  horizonMs: number;
  /** A ledger is compacted only once it remembers this many settled holds. Default 10,000. */
  minSettled: number;
  /** And at most this often, ms (a compaction reads every settled hold once). Default one hour. */
  everyMs: number;
  now: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const DEFAULT_COMPACTION: LedgerCompaction = {
  horizonMs: DAY_MS,
  minSettled: 10_000,
  everyMs: 60 * 60 * 1000,
  now: () => Date.now(),
};

/**
 * Folded ledgers this replica has seen, least recently used first out (the orchestrator's
 * `ExecutionStateCache`). A hit can be stale when another replica appended since: a decision on it
 * is refused by the append's expected position (a version conflict), after which only the events
 * after `position` are read and folded. So the cache never makes a decision stale; it saves a read
 * per command and re-folding whole ledgers.
 *
 * A ledger remembers every settled hold (what keeps a redelivered hold or charge a no-op), so a
 * busy workspace's cached state grew by one entry per hold for as long as the replica ran. The
 * cache compacts it (`compactLedger`): settled holds that expired more than `horizonMs` ago are
 * forgotten, far behind any redelivery of their hold request or charge (JetStream's redeliveries
 * end within minutes).
 */
export class LedgerStateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly compaction: LedgerCompaction;

  constructor(
    private readonly capacity: number,
    compaction: Partial<LedgerCompaction> = {},
  ) {
    this.compaction = { ...DEFAULT_COMPACTION, ...compaction };
  }

  get(streamId: string): Omit<Entry, 'compactedAt'> | undefined {
    const entry = this.entries.get(streamId);
    if (!entry) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return { state: entry.state, position: entry.position };
  }

  set(streamId: string, state: LedgerState, position: number): void {
    const current = this.entries.get(streamId);
    // Concurrent commands finish in any order: never replace a state with an older one.
    if (current && current.position > position) return;
    const { horizonMs, minSettled, everyMs, now } = this.compaction;
    const at = now();
    // A ledger new to the cache (a replica's first load of a long one) is compacted at once.
    let compactedAt = current?.compactedAt ?? 0;
    if (state.settled.size >= minSettled && at - compactedAt >= everyMs) {
      state = compactLedger(state, new Date(at - horizonMs).toISOString());
      compactedAt = at;
    }
    this.entries.delete(streamId);
    this.entries.set(streamId, { state, position, compactedAt });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}
