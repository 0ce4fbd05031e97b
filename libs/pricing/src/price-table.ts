import { readFileSync } from 'node:fs';
import { LLM_PROVIDERS, type LlmProviderName } from '@flowstack/contracts';
import { z } from 'zod';
import { DEFAULT_PRICES } from './default-prices';
import type { ModelPrice } from './model-price';

const priceSchema = z.object({
  provider: z.enum(LLM_PROVIDERS),
  model: z.string().trim().min(1).max(200),
  // Bounded so that tokens x price stays an exact integer far beyond any real call.
  inputPerMTok: z.number().min(0).max(10_000),
  outputPerMTok: z.number().min(0).max(10_000),
});

/** The deployment's override file or env var. */
export const pricingOverrideSchema = z.object({
  prices: z.array(priceSchema).max(10_000),
  replaceDefaults: z.boolean().default(false),
});
export type PricingOverride = z.infer<typeof pricingOverrideSchema>;

/** Thrown at start-up when the override is not valid JSON or not of the override's shape. */
export class PricingConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingConfigError';
  }
}

// A trailing snapshot date: -20251001 (Anthropic) or -2024-08-06 (OpenAI).
const DATED_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/** Prices by (provider, model); see `costOf` for what a lookup that misses means. */
export class PriceTable {
  private readonly byKey = new Map<string, ModelPrice>();

  constructor(prices: readonly ModelPrice[]) {
    for (const price of prices) this.byKey.set(key(price.provider, price.model), price);
  }

  /** The price of a model by its exact id, else by its id without a trailing snapshot date. */
  find(provider: LlmProviderName, model: string): ModelPrice | undefined {
    return this.byKey.get(key(provider, model)) ?? this.byKey.get(key(provider, model.replace(DATED_SUFFIX, '')));
  }

  get size(): number {
    return this.byKey.size;
  }
}

const key = (provider: string, model: string): string => `${provider}\u0000${model.toLowerCase()}`;

/** The defaults with a validated override merged over them by (provider, model). */
export function buildPriceTable(override?: unknown): PriceTable {
  if (override === undefined) return new PriceTable(DEFAULT_PRICES);
  const parsed = pricingOverrideSchema.safeParse(override);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PricingConfigError(`pricing override is invalid: ${issues}`);
  }
  const base = parsed.data.replaceDefaults ? [] : DEFAULT_PRICES;
  return new PriceTable([...base, ...parsed.data.prices]);
}

/**
 * The table for this deployment: `FLOWSTACK_PRICING_JSON` (inline JSON) or `FLOWSTACK_PRICING_FILE`
 * (a path to the same JSON) over the defaults. Throws `PricingConfigError` on a bad override, so a
 * service refuses to start rather than bill at wrong prices.
 */
export function loadPriceTable(env: NodeJS.ProcessEnv = process.env): PriceTable {
  const inline = env.FLOWSTACK_PRICING_JSON?.trim();
  const file = env.FLOWSTACK_PRICING_FILE?.trim();
  if (inline && file) throw new PricingConfigError('set FLOWSTACK_PRICING_JSON or FLOWSTACK_PRICING_FILE, not both');
  let text: string | undefined = inline || undefined;
  const source = inline ? 'FLOWSTACK_PRICING_JSON' : `FLOWSTACK_PRICING_FILE (${file})`;
  if (file) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new PricingConfigError(`cannot read ${source}: ${(e as Error).message}`);
    }
  }
  if (text === undefined) return buildPriceTable();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PricingConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  return buildPriceTable(json);
}
