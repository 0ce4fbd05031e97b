/**
 * Events of the stream `credits-<workspaceId>`, owned by billing: one workspace's credit ledger.
 * Each stored event carries `schemaVersion` (1 for all of these).
 *
 * Amounts are integers in micro-credits (1 credit = 1,000,000): no floating point ever reaches
 * the ledger. Times are ISO-8601 strings from the command (the decider never reads the clock).
 *
 * The balance a workspace can spend is `posted - held`: `posted` = granted - charged, `held` = the
 * sum of the open holds.
 */

/** Credits added to the workspace: by an admin (`POST /credits/grants`) or the platform operator. */
export interface CreditsGranted {
  type: 'CreditsGranted';
  data: {
    /** Idempotency key of the grant: the same grant delivered twice is granted once. */
    grantId: string;
    amount: number;
    /** A user id, or `operator` for the platform. */
    grantedBy: string;
    reason?: string;
    grantedAt: string;
  };
}

/** Credits reserved for a node before it is dispatched: its maximum cost. */
export interface CreditsHeld {
  type: 'CreditsHeld';
  data: {
    /** Derived from (execution, node, attempt) by the caller, so a retried request is the same hold. */
    holdId: string;
    amount: number;
    executionId: string;
    nodeId: string;
    heldAt: string;
    /** After this, a hold nobody settled (a crashed run) is released by `ExpireHolds`. */
    expiresAt: string;
  };
}

/** A hold that would have taken the spendable balance below zero. Nothing is reserved. */
export interface CreditsHoldRefused {
  type: 'CreditsHoldRefused';
  data: {
    holdId: string;
    amount: number;
    executionId: string;
    nodeId: string;
    /** The spendable balance (posted - held) when the hold was refused. */
    available: number;
    refusedAt: string;
  };
}

/**
 * The real cost of a held node, taken from the hold. Never more than the hold: a cost above it
 * (a price table that underestimated) is charged up to the hold and the rest is recorded in
 * `uncollected`, so the balance can never go below zero.
 */
export interface CreditsCharged {
  type: 'CreditsCharged';
  data: {
    holdId: string;
    amount: number;
    executionId: string;
    nodeId: string;
    /** The event that carried the cost (a `NodeCompleted` or `NodeFailed` id): one charge per event. */
    causationEventId: string;
    /** Cost above the hold that was not charged; 0 when the hold covered it. */
    uncollected: number;
    chargedAt: string;
  };
}

/** The part of a hold that was not charged goes back to the balance (after a charge, a failure, a cancel). */
export interface CreditsReleased {
  type: 'CreditsReleased';
  data: {
    holdId: string;
    amount: number;
    executionId: string;
    nodeId: string;
    reason: 'charged' | 'failed' | 'cancelled' | 'not_run';
    releasedAt: string;
  };
}

/** A hold outlived its expiry without being settled: all of it goes back to the balance. */
export interface HoldExpired {
  type: 'HoldExpired';
  data: { holdId: string; amount: number; executionId: string; nodeId: string; expiredAt: string };
}

export type CreditsEvent = CreditsGranted | CreditsHeld | CreditsHoldRefused | CreditsCharged | CreditsReleased | HoldExpired;

export type CreditsEventType = CreditsEvent['type'];

export const creditsStreamId = (workspaceId: string): string => `credits-${workspaceId}`;
export const CREDITS_CATEGORY = 'credits';

/** 1 credit in micro-credits, the ledger's unit. */
export const MICRO_CREDITS_PER_CREDIT = 1_000_000;
