/**
 * `decide(command, state) -> events`: a workspace's credit rules as one pure function. No clock,
 * no ids, no I/O. The rule that matters: no event this returns can take the spendable balance
 * (posted - held) below zero, whatever the interleaving of commands, because every hold is
 * decided against the state folded at the stream position it will be appended at (a concurrent
 * append is a version conflict, and the command is decided again).
 */
import type { CreditsEvent } from '@flowstack/contracts';
import type { ChargeHold, ExpireHolds, GrantCredits, HoldCredits, LedgerCommand, ReleaseHold } from './ledger.commands';
import { LedgerRuleViolation } from './ledger-rule-violation.error';
import { assertNever, availableBalance } from './ledger.state';
import type { LedgerState } from './ledger.state';

export function decide(command: LedgerCommand, state: LedgerState): CreditsEvent[] {
  switch (command.type) {
    case 'GrantCredits':
      return grant(command, state);
    case 'HoldCredits':
      return hold(command, state);
    case 'ChargeHold':
      return charge(command, state);
    case 'ReleaseHold':
      return release(command, state);
    case 'ExpireHolds':
      return expire(command, state);
    default:
      return assertNever(command);
  }
}

function grant({ data }: GrantCredits, state: LedgerState): CreditsEvent[] {
  if (state.grants.has(data.grantId)) return [];
  mustBeAmount('amount', data.amount, { positive: true });
  if (!Number.isSafeInteger(state.posted + data.amount)) {
    throw new LedgerRuleViolation('invalid_amount', 'the grant would overflow the balance', { amount: data.amount });
  }
  const { grantId, amount, grantedBy, reason, now } = data;
  return [
    { type: 'CreditsGranted', data: { grantId, amount, grantedBy, ...(reason === undefined ? {} : { reason }), grantedAt: now } },
  ];
}

function hold({ data }: HoldCredits, state: LedgerState): CreditsEvent[] {
  const { holdId, amount, executionId, nodeId, expiresAt, now } = data;
  mustBeAmount('amount', amount, { positive: true });
  const open = state.holds.get(holdId);
  if (open) {
    if (open.executionId !== executionId || open.nodeId !== nodeId || open.amount !== amount) {
      throw new LedgerRuleViolation('hold_conflict', `hold '${holdId}' is already held for another node or amount`, {
        holdId,
      });
    }
    return [];
  }
  if (state.settled.has(holdId)) return [];
  const available = availableBalance(state);
  if (amount > available) {
    return [{ type: 'CreditsHoldRefused', data: { holdId, amount, executionId, nodeId, available, refusedAt: now } }];
  }
  return [{ type: 'CreditsHeld', data: { holdId, amount, executionId, nodeId, heldAt: now, expiresAt } }];
}

function charge({ data }: ChargeHold, state: LedgerState): CreditsEvent[] {
  const { holdId, cost, causationEventId, now } = data;
  mustBeAmount('cost', cost, { positive: false });
  const open = state.holds.get(holdId);
  if (!open) {
    if (state.settled.has(holdId)) return [];
    throw new LedgerRuleViolation('unknown_hold', `no hold '${holdId}' to charge`, { holdId });
  }
  const { executionId, nodeId } = open;
  const amount = Math.min(cost, open.amount);
  const rest = open.amount - amount;
  const events: CreditsEvent[] = [
    {
      type: 'CreditsCharged',
      data: { holdId, amount, executionId, nodeId, causationEventId, uncollected: cost - amount, chargedAt: now },
    },
  ];
  if (rest > 0) {
    events.push({
      type: 'CreditsReleased',
      data: { holdId, amount: rest, executionId, nodeId, reason: 'charged', releasedAt: now },
    });
  }
  return events;
}

/** Releasing a hold that is not open (settled, or never placed) releases nothing. */
function release({ data }: ReleaseHold, state: LedgerState): CreditsEvent[] {
  const open = state.holds.get(data.holdId);
  if (!open) return [];
  const { amount, executionId, nodeId } = open;
  return [
    {
      type: 'CreditsReleased',
      data: { holdId: data.holdId, amount, executionId, nodeId, reason: data.reason, releasedAt: data.now },
    },
  ];
}

function expire({ data }: ExpireHolds, state: LedgerState): CreditsEvent[] {
  const now = Date.parse(data.now);
  const due = [...state.holds].filter(([, h]) => Date.parse(h.expiresAt) <= now);
  // Oldest first, then by id: the same state always gives the same events in the same order.
  due.sort(([aId, a], [bId, b]) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || (aId < bId ? -1 : aId > bId ? 1 : 0));
  return due.map(([holdId, h]) => ({
    type: 'HoldExpired',
    data: { holdId, amount: h.amount, executionId: h.executionId, nodeId: h.nodeId, expiredAt: data.now },
  }));
}

function mustBeAmount(field: string, value: number, { positive }: { positive: boolean }): void {
  if (Number.isSafeInteger(value) && (positive ? value > 0 : value >= 0)) return;
  const expected = positive ? 'a positive integer' : 'a non-negative integer';
  throw new LedgerRuleViolation('invalid_amount', `${field} must be ${expected} of micro-credits`, { field, value });
}
