import { buildPriceTable } from '@flowstack/pricing';
import { agentCostCap, DEFAULT_HOLD_MAX_TOKENS, HOLD_INPUT_TOKENS_PER_STEP, toolCostCap } from './node-cost';
import { loadToolPrices } from './tool-prices';

const prices = buildPriceTable({ prices: [{ provider: 'openai', model: 'test-model', inputPerMTok: 1, outputPerMTok: 4 }] });
const agent = { provider: 'openai' as const, model: 'test-model', parameters: { maxTokens: 100 }, maxSteps: 3, costPerRun: 50 };

describe('node cost caps', () => {
  it('an agent holds maxSteps x (maxTokens x output + the input estimate x input) + costPerRun', () => {
    expect(agentCostCap(agent, prices)).toEqual({ maxCost: 3 * (100 * 4 + HOLD_INPUT_TOKENS_PER_STEP * 1) + 50 });
    // The node's maxSteps wins over the agent's; no maxTokens: the default.
    expect(agentCostCap({ ...agent, parameters: {} }, prices, 1)).toEqual({
      maxCost: DEFAULT_HOLD_MAX_TOKENS * 4 + HOLD_INPUT_TOKENS_PER_STEP + 50,
    });
  });

  it('an unpriced model holds only costPerRun, and a free one nothing', () => {
    expect(agentCostCap({ ...agent, model: 'unknown' }, prices)).toEqual({ maxCost: 50 });
    expect(agentCostCap({ ...agent, model: 'unknown', costPerRun: 0 }, prices)).toBeUndefined();
  });

  it("a tool costs its id's price, else its kind's, else nothing", () => {
    const tools = loadToolPrices({ TOOL_PRICES_JSON: JSON.stringify({ kinds: { http: 200 }, tools: { 't-1': 900 } }) });
    expect(toolCostCap(tools, { toolId: 't-1', kind: 'http' })).toEqual({ maxCost: 900, price: 900 });
    expect(toolCostCap(tools, { toolId: 't-2', kind: 'http' })).toEqual({ maxCost: 200, price: 200 });
    expect(toolCostCap(tools, { kind: 'mcp' })).toBeUndefined();
    expect(toolCostCap(loadToolPrices({}), { kind: 'http' })).toBeUndefined();
  });

  it('refuses a malformed TOOL_PRICES_JSON, naming the field', () => {
    expect(() => loadToolPrices({ TOOL_PRICES_JSON: '{' })).toThrow(/TOOL_PRICES_JSON is not valid JSON/);
    expect(() => loadToolPrices({ TOOL_PRICES_JSON: '{"kinds":{"http":1.5}}' })).toThrow(
      /TOOL_PRICES_JSON is invalid: kinds.http/,
    );
    expect(() => loadToolPrices({ TOOL_PRICES_JSON: '{"kind":{}}' })).toThrow(/TOOL_PRICES_JSON is invalid/);
  });
});
