import { Map as PersistentMap, Set as PersistentSet } from 'immutable';

/**
 * The state of one workspace's ledger, folded from its stream `credits-<workspaceId>`.
 *
 * Spendable balance = `posted - held`. `posted` moves with grants (+) and charges (-); `held` is
 * the sum of the open holds. Both are integers of micro-credits.
 */

/** A hold that is neither charged, released nor expired. */
export interface OpenHold {
  amount: number;
  executionId: string;
  nodeId: string;
  expiresAt: string;
}

/** How a hold ended; what a repeated `HoldCredits` or `ChargeHold` reads to stay a no-op. */
export type SettledOutcome = 'refused' | 'charged' | 'released' | 'expired';

export interface SettledHold {
  outcome: SettledOutcome;
  /** The hold's expiry (a refused hold: when it was refused); `compactLedger` forgets settled holds well past it. */
  expiresAt: string;
}

/**
 * What the ledger's code reads of a keyed collection: a `ReadonlyMap`, or the persistent maps
 * `foldLedger` produces (not `ReadonlyMap`s to TypeScript: their iterators lack `dispose`).
 */
export interface KeyedView<V> {
  get(key: string): V | undefined;
  has(key: string): boolean;
  readonly size: number;
  values(): Iterable<V>;
  [Symbol.iterator](): Iterator<[string, V]>;
}

/** What the ledger's code reads of a set of ids: a `ReadonlySet` or a persistent set. */
export interface IdsView {
  has(id: string): boolean;
  readonly size: number;
  [Symbol.iterator](): Iterator<string>;
}

export interface LedgerState {
  /** Granted minus charged. */
  posted: number;
  /** Sum of `holds`' amounts. */
  held: number;
  holds: KeyedView<OpenHold>;
  settled: KeyedView<SettledHold>;
  grants: IdsView;
}

/** The empty ledger; its collections are persistent (see `foldLedger`), any ReadonlyMap/Set is accepted. */
export const initialLedger = (): LedgerState => ({
  posted: 0,
  held: 0,
  holds: PersistentMap<string, OpenHold>(),
  settled: PersistentMap<string, SettledHold>(),
  grants: PersistentSet<string>(),
});

/** What the workspace can still hold: never negative in a state folded from decided events. */
export const availableBalance = (state: LedgerState): number => state.posted - state.held;

/** `held` while open, how it ended once settled, undefined for a hold this ledger never saw. */
export function holdOutcome(state: LedgerState, holdId: string): 'held' | SettledOutcome | undefined {
  if (state.holds.has(holdId)) return 'held';
  return state.settled.get(holdId)?.outcome;
}

/**
 * The state without settled holds that expired before `before`: a snapshot stays small however
 * long the ledger. Safe because no redelivery of a hold request or charge arrives that late (the
 * caller picks `before` well behind its redelivery horizon, e.g. a day).
 */
export function compactLedger(state: LedgerState, before: string): LedgerState {
  const cutoff = Date.parse(before);
  const settled = persistentMap(state.settled).filter((s) => Date.parse(s.expiresAt) >= cutoff);
  return { ...state, settled };
}

/** The collection as a persistent map: itself when it is one (O(1)), else converted once. */
export const persistentMap = <V>(map: KeyedView<V>): PersistentMap<string, V> =>
  PersistentMap.isMap(map) ? (map as PersistentMap<string, V>) : PersistentMap([...map]);

/** The set as a persistent set: itself when it is one, else converted once. */
export const persistentSet = (set: IdsView): PersistentSet<string> =>
  PersistentSet.isSet(set) ? (set as PersistentSet<string>) : PersistentSet([...set]);

/** Compile-time exhaustiveness for switches over unions; throws if reached at run time. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
