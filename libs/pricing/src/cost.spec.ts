import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCosts, costOf } from './cost';
import { DEFAULT_PRICES } from './default-prices';
import { buildPriceTable, loadPriceTable, PricingConfigError } from './price-table';

describe('costOf', () => {
  const table = buildPriceTable();

  it('prices input and output tokens in micro-USD (USD per million tokens = micro-USD per token)', () => {
    // claude-sonnet-4-6: $3 in, $15 out per MTok.
    expect(costOf(table, 'anthropic', 'claude-sonnet-4-6', { inputTokens: 1000, outputTokens: 200 })).toEqual({
      cost: 3000 + 3000,
      priced: true,
    });
    // 1M input tokens of gpt-5.5 cost exactly its list price: $5 = 5,000,000 micro-USD.
    expect(costOf(table, 'openai', 'gpt-5.5', { inputTokens: 1_000_000, outputTokens: 0 }).cost).toBe(5_000_000);
  });

  it('rounds fractional micro-units up, exactly (no float drift)', () => {
    // gpt-4o-mini: $0.15 in, $0.60 out. 3 x 0.15 + 1 x 0.6 = 1.05 -> 2.
    expect(costOf(table, 'openai', 'gpt-4o-mini', { inputTokens: 3, outputTokens: 1 }).cost).toBe(2);
    // 0.1 + 0.2 style drift would give 2.0000000000000004 -> 3 with floats.
    const t = buildPriceTable({ prices: [{ provider: 'glm', model: 'x', inputPerMTok: 0.1, outputPerMTok: 0.2 }] });
    expect(costOf(t, 'glm', 'x', { inputTokens: 10, outputTokens: 5 }).cost).toBe(2);
  });

  it('finds a dated snapshot by its undated id', () => {
    expect(costOf(table, 'anthropic', 'claude-haiku-4-5-20251001', { inputTokens: 1, outputTokens: 1 })).toEqual({
      cost: 6,
      priced: true,
    });
    expect(costOf(table, 'openai', 'gpt-4o-2024-08-06', { inputTokens: 0, outputTokens: 100 }).cost).toBe(1000);
  });

  it('an unknown model costs 0 and is flagged', () => {
    expect(costOf(table, 'openai', 'gpt-unknown', { inputTokens: 1000, outputTokens: 1000 })).toEqual({ cost: 0, priced: false });
    // The provider is part of the key: an anthropic model asked of openai is unknown.
    expect(costOf(table, 'openai', 'claude-sonnet-4-6', { inputTokens: 10, outputTokens: 10 }).priced).toBe(false);
  });

  it('ignores negative or fractional token counts', () => {
    expect(costOf(table, 'anthropic', 'claude-haiku-4-5', { inputTokens: -5, outputTokens: 2.7 }).cost).toBe(10);
  });

  it('addCosts stays flagged once any part is unpriced', () => {
    expect(addCosts({ cost: 5, priced: true }, { cost: 0, priced: false })).toEqual({ cost: 5, priced: false });
  });

  it('every default names a provider, a model and non-negative prices', () => {
    expect(DEFAULT_PRICES.length).toBeGreaterThan(15);
    for (const p of ['anthropic', 'openai', 'glm']) expect(DEFAULT_PRICES.some((d) => d.provider === p)).toBe(true);
  });
});

describe('price table overrides', () => {
  it('merges an override over the defaults by (provider, model)', () => {
    const t = buildPriceTable({
      prices: [
        { provider: 'anthropic', model: 'claude-sonnet-4-6', inputPerMTok: 1, outputPerMTok: 1 },
        { provider: 'openai_compatible', model: 'llama-3.3-70b', inputPerMTok: 0.2, outputPerMTok: 0.2 },
      ],
    });
    expect(t.find('anthropic', 'claude-sonnet-4-6')?.inputPerMTok).toBe(1);
    expect(t.find('openai_compatible', 'llama-3.3-70b')?.outputPerMTok).toBe(0.2);
    expect(t.find('openai', 'gpt-5.5')).toBeDefined();
  });

  it('replaceDefaults drops the defaults', () => {
    const t = buildPriceTable({
      replaceDefaults: true,
      prices: [{ provider: 'glm', model: 'glm-x', inputPerMTok: 1, outputPerMTok: 2 }],
    });
    expect(t.size).toBe(1);
    expect(t.find('openai', 'gpt-5.5')).toBeUndefined();
  });

  it('refuses a malformed override with the path of the fault', () => {
    expect(() => buildPriceTable({ prices: [{ provider: 'mistral', model: 'm', inputPerMTok: 1, outputPerMTok: 1 }] })).toThrow(
      /prices\.0\.provider/,
    );
    expect(() => buildPriceTable({ prices: [{ provider: 'glm', model: 'm', inputPerMTok: -1, outputPerMTok: 1 }] })).toThrow(
      /prices\.0\.inputPerMTok/,
    );
    expect(() => buildPriceTable({})).toThrow(PricingConfigError);
  });

  it('loads FLOWSTACK_PRICING_JSON and FLOWSTACK_PRICING_FILE, refusing bad JSON and both at once', () => {
    const json = JSON.stringify({ prices: [{ provider: 'glm', model: 'glm-test', inputPerMTok: 7, outputPerMTok: 8 }] });
    expect(loadPriceTable({ FLOWSTACK_PRICING_JSON: json }).find('glm', 'glm-test')?.inputPerMTok).toBe(7);
    const dir = mkdtempSync(join(tmpdir(), 'pricing-'));
    const file = join(dir, 'prices.json');
    writeFileSync(file, json);
    expect(loadPriceTable({ FLOWSTACK_PRICING_FILE: file }).find('glm', 'glm-test')?.outputPerMTok).toBe(8);
    expect(() => loadPriceTable({ FLOWSTACK_PRICING_JSON: '{nope' })).toThrow(/not valid JSON/);
    expect(() => loadPriceTable({ FLOWSTACK_PRICING_FILE: join(dir, 'missing.json') })).toThrow(/cannot read/);
    expect(() => loadPriceTable({ FLOWSTACK_PRICING_JSON: json, FLOWSTACK_PRICING_FILE: file })).toThrow(/not both/);
    expect(loadPriceTable({}).size).toBe(DEFAULT_PRICES.length);
  });
});
