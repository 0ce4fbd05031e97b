/** Builders for ledger tests: commands with defaults, and a state folded from decided commands. */
import type { CreditsEvent } from '@flowstack/contracts';
import type { ChargeHold, GrantCredits, HoldCredits, LedgerCommand } from './ledger.commands';
import { decide } from './ledger.decider';
import { foldLedger } from './ledger.evolve';
import { initialLedger, type LedgerState } from './ledger.state';

export const T0 = '2026-12-01T10:00:00.000Z';
export const LATER = '2026-12-01T10:05:00.000Z';

export const grantCmd = (amount: number, grantId = `grant-${amount}`): GrantCredits => ({
  type: 'GrantCredits',
  data: { grantId, amount, grantedBy: 'user-1', now: T0 },
});

export const holdCmd = (holdId: string, amount: number, over: Partial<HoldCredits['data']> = {}): HoldCredits => ({
  type: 'HoldCredits',
  data: { holdId, amount, executionId: 'exec-1', nodeId: `node-${holdId}`, expiresAt: LATER, now: T0, ...over },
});

export const chargeCmd = (holdId: string, cost: number, causationEventId = `event-${holdId}`): ChargeHold => ({
  type: 'ChargeHold',
  data: { holdId, cost, causationEventId, now: T0 },
});

/** Decides each command against the state so far and folds what it produced: a ledger's history. */
export function given(...commands: LedgerCommand[]): { state: LedgerState; events: CreditsEvent[] } {
  let state = initialLedger();
  const events: CreditsEvent[] = [];
  for (const command of commands) {
    const produced = decide(command, state);
    events.push(...produced);
    state = foldLedger(produced, state);
  }
  return { state, events };
}
