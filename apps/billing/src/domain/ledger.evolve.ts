/**
 * Folding credit events into `LedgerState`. The maps and the set are persistent (Immutable.js):
 * a fold opens mutable views of them in O(1), each event changes O(log n) of their nodes, and the
 * result shares the rest with the state it started from. Copying them per fold made every hold
 * and charge cost O(settled holds), which a busy ledger keeps for a day (the settled map is what
 * keeps a redelivered hold or charge a no-op): in W10's billing profile that copy was the largest
 * cost of any function of ours.
 * Neither the starting state nor any object it holds is modified.
 */
import type { Map as PersistentMap, Set as PersistentSet } from 'immutable';
import type { CreditsEvent } from '@flowstack/contracts';
import { assertNever, initialLedger, persistentMap, persistentSet } from './ledger.state';
import type { LedgerState, OpenHold, SettledHold, SettledOutcome } from './ledger.state';

interface Draft {
  posted: number;
  held: number;
  holds: PersistentMap<string, OpenHold>;
  settled: PersistentMap<string, SettledHold>;
  grants: PersistentSet<string>;
}

/** The state after `event`; a new object, `state` untouched. */
export function evolve(state: LedgerState, event: CreditsEvent): LedgerState {
  return foldLedger([event], state);
}

/** Folds a stream, optionally continuing from a snapshot. */
export function foldLedger(events: Iterable<CreditsEvent>, from: LedgerState = initialLedger()): LedgerState {
  // `asMutable` on a persistent collection is O(1); a plain Map or Set (a state built by hand) is converted once.
  const draft: Draft = {
    posted: from.posted,
    held: from.held,
    holds: persistentMap(from.holds).asMutable(),
    settled: persistentMap(from.settled).asMutable(),
    grants: persistentSet(from.grants).asMutable(),
  };
  for (const event of events) apply(draft, event);
  return {
    posted: draft.posted,
    held: draft.held,
    holds: draft.holds.asImmutable(),
    settled: draft.settled.asImmutable(),
    grants: draft.grants.asImmutable(),
  };
}

function apply(draft: Draft, event: CreditsEvent): void {
  switch (event.type) {
    case 'CreditsGranted':
      draft.grants = draft.grants.add(event.data.grantId);
      draft.posted += event.data.amount;
      return;
    case 'CreditsHeld': {
      const { holdId, amount, executionId, nodeId, expiresAt } = event.data;
      draft.holds = draft.holds.set(holdId, { amount, executionId, nodeId, expiresAt });
      draft.held += amount;
      return;
    }
    case 'CreditsHoldRefused':
      // A refusal reserves nothing; remembering it keeps a repeated request refused, not re-decided.
      draft.settled = draft.settled.set(event.data.holdId, { outcome: 'refused', expiresAt: event.data.refusedAt });
      return;
    case 'CreditsCharged':
      draft.posted -= event.data.amount;
      settle(draft, event.data.holdId, 'charged');
      return;
    case 'CreditsReleased':
      // After a charge the hold is already settled; the release returns what the charge left.
      if (event.data.reason === 'charged') return;
      settle(draft, event.data.holdId, 'released');
      return;
    case 'HoldExpired':
      settle(draft, event.data.holdId, 'expired');
      return;
    default:
      assertNever(event);
  }
}

/** Closes an open hold: its whole amount leaves `held` (what was charged already left `posted`). */
function settle(draft: Draft, holdId: string, outcome: SettledOutcome): void {
  const hold = draft.holds.get(holdId);
  if (!hold) return; // stored history is never rejected while reading
  draft.holds = draft.holds.delete(holdId);
  draft.held -= hold.amount;
  draft.settled = draft.settled.set(holdId, { outcome, expiresAt: hold.expiresAt });
}
