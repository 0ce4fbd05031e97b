/**
 * Billing's request-reply subjects (queue group `billing`), in a file of their own so concurrent
 * additions to `subjects.ts` stay mechanical to merge.
 */
export const BillingRpc = {
  /** Admins add credits to their workspace: `GrantCreditsRequest` -> `CreditBalanceView`. */
  creditsGrant: 'billing.credits.grant',
  /** The workspace's balance: `{}` -> `CreditBalanceView`. */
  creditsBalance: 'billing.credits.balance',
  /** The workspace's ledger entries, newest first: `TransactionsQuery` -> `Page<CreditEntryView>`. */
  creditsTransactions: 'billing.credits.transactions',
  /** Orchestrator only: reserve a node's maximum cost before dispatch: `HoldCreditsRequest` -> `HoldResultView`. */
  creditsHold: 'billing.credits.hold',
  /** Orchestrator only: charge a hold's real cost, release the rest: `ChargeHoldRequest` -> `SettleResultView`. */
  creditsCharge: 'billing.credits.charge',
  /** Orchestrator only: give a whole hold back: `ReleaseHoldRequest` -> `SettleResultView`. */
  creditsRelease: 'billing.credits.release',
  /** The ledger entries one execution caused, oldest first: `ExecutionCreditEntriesQuery` -> `Page<ExecutionCreditEntry>`. */
  creditsOfExecution: 'billing.credits.ofExecution',
  /** Tokens, cost, runs, success rate and durations from the usage projection: `UsageQuery` -> `UsageReport`. */
  usageReport: 'billing.usage.report',
} as const;

/** The billing subjects the gateway calls (the public reads and the admin's grant). */
export const GATEWAY_BILLING_SUBJECTS: readonly string[] = [
  BillingRpc.creditsGrant,
  BillingRpc.creditsBalance,
  BillingRpc.creditsTransactions,
  BillingRpc.creditsOfExecution,
  BillingRpc.usageReport,
];

/** The billing subjects only the orchestrator calls (holds at dispatch and their settlement). */
export const ORCHESTRATOR_BILLING_SUBJECTS: readonly string[] = [
  BillingRpc.creditsHold,
  BillingRpc.creditsCharge,
  BillingRpc.creditsRelease,
];
