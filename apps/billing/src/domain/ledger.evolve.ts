/**
 * Folding credit events into `LedgerState`. The fold copies the state's maps once and then
 * updates its private copies in place, so folding a long ledger is linear; neither the starting
 * state nor any object it holds is modified.
 */
import type { CreditsEvent } from '@flowstack/contracts';
import { assertNever, initialLedger } from './ledger.state';
import type { LedgerState, OpenHold, SettledHold, SettledOutcome } from './ledger.state';

interface Draft {
  posted: number;
  held: number;
  holds: Map<string, OpenHold>;
  settled: Map<string, SettledHold>;
  grants: Set<string>;
}

/** The state after `event`; a new object, `state` untouched. */
export function evolve(state: LedgerState, event: CreditsEvent): LedgerState {
  return foldLedger([event], state);
}

/** Folds a stream, optionally continuing from a snapshot. */
export function foldLedger(events: Iterable<CreditsEvent>, from: LedgerState = initialLedger()): LedgerState {
  const draft: Draft = {
    posted: from.posted,
    held: from.held,
    holds: new Map(from.holds),
    settled: new Map(from.settled),
    grants: new Set(from.grants),
  };
  for (const event of events) apply(draft, event);
  return draft;
}

function apply(draft: Draft, event: CreditsEvent): void {
  switch (event.type) {
    case 'CreditsGranted':
      draft.grants.add(event.data.grantId);
      draft.posted += event.data.amount;
      return;
    case 'CreditsHeld': {
      const { holdId, amount, executionId, nodeId, expiresAt } = event.data;
      draft.holds.set(holdId, { amount, executionId, nodeId, expiresAt });
      draft.held += amount;
      return;
    }
    case 'CreditsHoldRefused':
      // A refusal reserves nothing; remembering it keeps a repeated request refused, not re-decided.
      draft.settled.set(event.data.holdId, { outcome: 'refused', expiresAt: event.data.refusedAt });
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
  draft.holds.delete(holdId);
  draft.held -= hold.amount;
  draft.settled.set(holdId, { outcome, expiresAt: hold.expiresAt });
}
