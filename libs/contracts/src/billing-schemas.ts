/**
 * Billing's public shapes (`/api/v1/credits`) and the orchestrator's hold requests: parsed at the
 * gateway and again by billing on its side of the bus. Every amount is an integer of micro-credits
 * (1 credit = 1,000,000, `MICRO_CREDITS_PER_CREDIT`).
 */
import { z } from 'zod';

const microCredits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positiveMicroCredits = microCredits.min(1);
/** Ids that travel into the ledger's events: printable, no whitespace, bounded. */
const ledgerId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_:.@\-]+$/, 'letters, digits and _ : . @ - only');

export const grantCreditsSchema = z.strictObject({
  amount: positiveMicroCredits,
  reason: z.string().min(1).max(500).optional(),
  /** Idempotency key: the same grant sent twice is granted once. Generated when absent. */
  grantId: ledgerId.optional(),
});
export type GrantCreditsRequest = z.infer<typeof grantCreditsSchema>;

export const creditTransactionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page (a ledger position). */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, 'a cursor from a previous page')
    .optional(),
});
export type CreditTransactionsQuery = z.infer<typeof creditTransactionsQuerySchema>;

export const holdCreditsSchema = z.strictObject({
  /** Derived by the caller from (execution, node, attempt): a retried request is the same hold. */
  holdId: ledgerId,
  amount: positiveMicroCredits,
  executionId: ledgerId,
  nodeId: ledgerId,
  /** How long the hold lives unsettled before the sweep releases it (default `BILLING_HOLD_TTL_MS`). */
  ttlMs: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600_000)
    .optional(),
});
export type HoldCreditsRequest = z.infer<typeof holdCreditsSchema>;

export const chargeHoldSchema = z.strictObject({
  holdId: ledgerId,
  cost: microCredits,
  /** The event that carried the cost (`NodeCompleted`'s id): one charge per hold. */
  causationEventId: ledgerId,
});
export type ChargeHoldRequest = z.infer<typeof chargeHoldSchema>;

export const releaseHoldSchema = z.strictObject({
  holdId: ledgerId,
  reason: z.enum(['failed', 'cancelled', 'not_run']),
});
export type ReleaseHoldRequest = z.infer<typeof releaseHoldSchema>;

export const creditBalanceSchema = z.object({
  /** Granted minus charged. */
  posted: microCredits,
  /** The sum of the open holds. */
  held: microCredits,
  /** What can still be held: posted - held. */
  available: microCredits,
});
export type CreditBalanceView = z.infer<typeof creditBalanceSchema>;

export const holdResultSchema = z.object({
  holdId: z.string(),
  /** `held`: reserved now or by an earlier delivery; `refused`: not enough credit; else already settled. */
  outcome: z.enum(['held', 'refused', 'charged', 'released', 'expired']),
  available: microCredits,
});
export type HoldResultView = z.infer<typeof holdResultSchema>;

export const settleResultSchema = z.object({
  holdId: z.string(),
  outcome: z.enum(['held', 'refused', 'charged', 'released', 'expired']).nullable(),
  /** False when this request changed nothing (a redelivery, or a hold settled already). */
  changed: z.boolean(),
  available: microCredits,
});
export type SettleResultView = z.infer<typeof settleResultSchema>;

export const creditEntrySchema = z.object({
  /** The entry's position in the workspace's ledger (1, 2, 3 ...). */
  position: z.number().int(),
  type: z.enum(['CreditsGranted', 'CreditsHeld', 'CreditsHoldRefused', 'CreditsCharged', 'CreditsReleased', 'HoldExpired']),
  at: z.string(),
  amount: microCredits,
  grantId: z.string().optional(),
  grantedBy: z.string().optional(),
  holdId: z.string().optional(),
  executionId: z.string().optional(),
  nodeId: z.string().optional(),
  reason: z.string().optional(),
  causationEventId: z.string().optional(),
  uncollected: microCredits.optional(),
  available: microCredits.optional(),
  expiresAt: z.string().optional(),
});
export type CreditEntryView = z.infer<typeof creditEntrySchema>;

/** `billing.credits.ofExecution`: one execution's ledger entries, oldest first, after a ledger position. */
export const executionCreditEntriesQuerySchema = z.strictObject({
  executionId: ledgerId,
  /** The `nextCursor` of the previous page (a ledger position); 0 or absent: from the start. */
  afterPosition: z.number().int().min(0).max(2_147_483_647).default(0),
  limit: z.number().int().min(1).max(1000).default(500),
});
export type ExecutionCreditEntriesQuery = z.output<typeof executionCreditEntriesQuerySchema>;

/** A ledger event as stored, for exports: its position in `credits-<workspaceId>`, id and data. */
export interface ExecutionCreditEntry {
  /** Position in the workspace's ledger stream. */
  position: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}
