import { z } from 'zod';

const price = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** `TOOL_PRICES_JSON`: micro-credits per successful run of a tool node, by tool kind and by tool id. */
export const toolPricesSchema = z.strictObject({
  /** By kind (`http`, `mcp`, `python`, `shell`, `builtin`): registered and inline tools of that kind. */
  kinds: z.record(z.string().min(1).max(50), price).default({}),
  /** By registered tool id (uuid): wins over its kind's price. */
  tools: z.record(z.string().min(1).max(200), price).default({}),
});
export type ToolPrices = z.infer<typeof toolPricesSchema>;

export const NO_TOOL_PRICES: ToolPrices = { kinds: {}, tools: {} };

/** Parses `TOOL_PRICES_JSON`; throws naming the variable and the field, so a bad price stops start-up. */
export function loadToolPrices(env: NodeJS.ProcessEnv = process.env): ToolPrices {
  const text = env.TOOL_PRICES_JSON?.trim();
  if (!text) return NO_TOOL_PRICES;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`TOOL_PRICES_JSON is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = toolPricesSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`TOOL_PRICES_JSON is invalid: ${issues}`);
  }
  return parsed.data;
}
