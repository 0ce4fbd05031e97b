/**
 * Commands the ledger decider understands, shaped like events. Every time, id and amount a
 * decision needs travels in the command: `decide` is re-run on every version conflict (two
 * billing replicas holding on one workspace at once) and must give the same answer each time.
 * Amounts are integers in micro-credits.
 */

/** Add credits. Idempotent by `grantId`. */
export interface GrantCredits {
  type: 'GrantCredits';
  data: { grantId: string; amount: number; grantedBy: string; reason?: string; now: string };
}

/**
 * Reserve a node's maximum cost before it is dispatched: `CreditsHeld`, or `CreditsHoldRefused`
 * when the spendable balance cannot cover it. Idempotent by `holdId`: asking again for a hold
 * that was placed, refused or settled changes nothing (read the outcome with `holdOutcome`).
 */
export interface HoldCredits {
  type: 'HoldCredits';
  data: { holdId: string; amount: number; executionId: string; nodeId: string; expiresAt: string; now: string };
}

/**
 * Charge a held node's real cost and release the rest. `cost` above the hold is charged up to
 * the hold (the rest is recorded as uncollected): the balance never goes below zero. Idempotent:
 * a settled hold (charged, released, expired) is not charged again.
 */
export interface ChargeHold {
  type: 'ChargeHold';
  data: { holdId: string; cost: number; causationEventId: string; now: string };
}

/** Give a whole hold back (the node failed without cost, was cancelled, or never ran). */
export interface ReleaseHold {
  type: 'ReleaseHold';
  data: { holdId: string; reason: 'failed' | 'cancelled' | 'not_run'; now: string };
}

/** Release every open hold whose `expiresAt` is at or before `now` (crashed runs). */
export interface ExpireHolds {
  type: 'ExpireHolds';
  data: { now: string };
}

export type LedgerCommand = GrantCredits | HoldCredits | ChargeHold | ReleaseHold | ExpireHolds;
