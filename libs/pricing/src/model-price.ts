import type { LlmProviderName } from '@flowstack/contracts';

/** One model's list price, in USD per million tokens (= micro-USD credits per token). */
export interface ModelPrice {
  provider: LlmProviderName;
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
}
