/**
 * Why a ledger command was refused. Each code names a command that can never make sense as sent,
 * so repeating it unchanged fails the same way.
 *
 * - `invalid_amount`: not a safe non-negative integer of micro-credits (zero where it must be
 *   positive), or a grant that would overflow the balance.
 * - `unknown_hold`: a charge for a hold this ledger never placed.
 * - `hold_conflict`: a hold id reused for another execution, node or amount.
 */
export type LedgerRuleCode = 'invalid_amount' | 'unknown_hold' | 'hold_conflict';

/**
 * Thrown by `decide` for a command that makes no sense. Never retryable. An "already done"
 * command (a second delivery of the same grant, hold or charge) is not a violation: `decide`
 * returns `[]` for it instead.
 */
export class LedgerRuleViolation extends Error {
  readonly retryable = false;

  constructor(
    readonly code: LedgerRuleCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'LedgerRuleViolation';
  }
}
