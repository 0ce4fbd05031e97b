import type { LlmProviderName } from '@flowstack/contracts';
import type { PriceTable } from './price-table';

/** What one call (or a sum of calls) cost. */
export interface TokenCost {
  /** Integer credits: micro-USD (1,000,000 = 1 USD). */
  cost: number;
  /** False when the model is not in the table: the cost is then 0 and should be flagged. */
  priced: boolean;
}

// Prices carry at most 3 decimals of a micro-unit per token once scaled by this.
const SCALE = 1000;

/**
 * The cost of `inputTokens` and `outputTokens` of `model` at the table's prices, rounded up to a
 * whole micro-unit. Pure and exact in integers (prices are scaled to thousandths before multiplying).
 * An unknown model costs 0 with `priced: false`.
 */
export function costOf(
  table: PriceTable,
  provider: LlmProviderName,
  model: string,
  usage: { inputTokens: number; outputTokens: number },
): TokenCost {
  const price = table.find(provider, model);
  if (!price) return { cost: 0, priced: false };
  const scaled =
    tokens(usage.inputTokens) * Math.round(price.inputPerMTok * SCALE) +
    tokens(usage.outputTokens) * Math.round(price.outputPerMTok * SCALE);
  return { cost: Math.ceil(scaled / SCALE), priced: true };
}

const tokens = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Sums two costs; the sum is priced only if both parts were. */
export const addCosts = (a: TokenCost, b: TokenCost): TokenCost => ({ cost: a.cost + b.cost, priced: a.priced && b.priced });
