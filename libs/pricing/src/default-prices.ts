import type { ModelPrice } from './model-price';

/**
 * List prices in USD per million tokens (standard tier, no batch/cache discounts, prompts below the
 * vendors' long-context thresholds), gathered on 2026-12-01 from the public pages named per group.
 * Vendors change prices: deployments override them (see README), this is only the starting point.
 */
export const DEFAULT_PRICES: readonly ModelPrice[] = [
  // Anthropic. Opus 4.6-4.8 at $5/$25, Sonnet 4.6 $3/$15, Haiku 4.5 $1/$5: claudeguide.io and
  // artka.dev (April 2026), claudelab.net (2026-07-03, which also gives Sonnet 5 at $2/$10,
  // announced as introductory pricing).
  { provider: 'anthropic', model: 'claude-opus-4-8', inputPerMTok: 5, outputPerMTok: 25 },
  { provider: 'anthropic', model: 'claude-opus-4-7', inputPerMTok: 5, outputPerMTok: 25 },
  { provider: 'anthropic', model: 'claude-opus-4-6', inputPerMTok: 5, outputPerMTok: 25 },
  { provider: 'anthropic', model: 'claude-opus-4-5', inputPerMTok: 5, outputPerMTok: 25 },
  { provider: 'anthropic', model: 'claude-sonnet-5', inputPerMTok: 2, outputPerMTok: 10 },
  { provider: 'anthropic', model: 'claude-sonnet-4-6', inputPerMTok: 3, outputPerMTok: 15 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', inputPerMTok: 3, outputPerMTok: 15 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', inputPerMTok: 1, outputPerMTok: 5 },
  // OpenAI. GPT-5.5 $5/$30: apidog.com and benchr.org (April 2026); GPT-5.4 $2.50/$15, GPT-5.1
  // $1.25/$10: deploybase.ai (March 2026); GPT-5.2 $1.75/$14, GPT-5 mini $0.25/$2:
  // nicolalazzari.ai (2026); GPT-5 $1.25/$10, GPT-4o $2.50/$10, GPT-4o mini $0.15/$0.60, o3 $2/$8:
  // chatgptpricing (2026, citing the vendor's pricing page); GPT-4.1 $2/$8: deploybase.ai.
  { provider: 'openai', model: 'gpt-5.5', inputPerMTok: 5, outputPerMTok: 30 },
  { provider: 'openai', model: 'gpt-5.4', inputPerMTok: 2.5, outputPerMTok: 15 },
  { provider: 'openai', model: 'gpt-5.2', inputPerMTok: 1.75, outputPerMTok: 14 },
  { provider: 'openai', model: 'gpt-5.1', inputPerMTok: 1.25, outputPerMTok: 10 },
  { provider: 'openai', model: 'gpt-5', inputPerMTok: 1.25, outputPerMTok: 10 },
  { provider: 'openai', model: 'gpt-5-mini', inputPerMTok: 0.25, outputPerMTok: 2 },
  { provider: 'openai', model: 'gpt-4.1', inputPerMTok: 2, outputPerMTok: 8 },
  { provider: 'openai', model: 'gpt-4o', inputPerMTok: 2.5, outputPerMTok: 10 },
  { provider: 'openai', model: 'gpt-4o-mini', inputPerMTok: 0.15, outputPerMTok: 0.6 },
  { provider: 'openai', model: 'o3', inputPerMTok: 2, outputPerMTok: 8 },
  // Zhipu GLM (USD list prices of the international endpoint). GLM-5.1 $1.40/$4.40:
  // docs.bytespike.ai (2026); GLM-4.7 and GLM-4.6 $0.60/$2.20: model catalogues of 2026.
  { provider: 'glm', model: 'glm-5.1', inputPerMTok: 1.4, outputPerMTok: 4.4 },
  { provider: 'glm', model: 'glm-4.7', inputPerMTok: 0.6, outputPerMTok: 2.2 },
  { provider: 'glm', model: 'glm-4.6', inputPerMTok: 0.6, outputPerMTok: 2.2 },
];
