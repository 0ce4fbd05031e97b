/**
 * The most one attempt of a node can cost, from its agent or tool and the prices of the moment:
 * pure, so the rule is unit-tested and the same at every start.
 */
import type { AgentView, NodeCostCap } from '@flowstack/contracts';
import { costOf, type PriceTable } from '@flowstack/pricing';
import type { ToolPrices } from './tool-prices';

/** Output tokens a step may produce when the agent sets no `parameters.maxTokens` (the Anthropic adapter's default). */
export const DEFAULT_HOLD_MAX_TOKENS = 4096;
/**
 * Input tokens estimated per step of an agent's loop. The prompt is rendered only by the
 * tool-runner, so the hold cannot know it; a run that reads more than the hold covers is charged
 * up to the hold and the rest recorded as `uncollected` on the charge.
 */
export const HOLD_INPUT_TOKENS_PER_STEP = 4096;

/** What the hold needs of an agent: its model, limits and fixed price. */
export type AgentPricing = Pick<AgentView, 'provider' | 'model' | 'parameters' | 'maxSteps' | 'costPerRun'>;

/**
 * An `agent_call` attempt's maximum: every step (the node's `maxSteps`, else the agent's) at
 * `maxTokens` output tokens and `HOLD_INPUT_TOKENS_PER_STEP` input tokens, at the model's price,
 * plus the agent's `costPerRun`. A model missing from the table prices its tokens at 0 (the
 * tool-runner charges them 0 too). Undefined when that comes to nothing: no hold.
 */
export function agentCostCap(agent: AgentPricing, prices: PriceTable, nodeMaxSteps?: number): NodeCostCap | undefined {
  const steps = nodeMaxSteps ?? agent.maxSteps;
  const maxTokens = agent.parameters.maxTokens ?? DEFAULT_HOLD_MAX_TOKENS;
  const tokens = costOf(prices, agent.provider, agent.model, {
    inputTokens: steps * HOLD_INPUT_TOKENS_PER_STEP,
    outputTokens: steps * maxTokens,
  });
  const maxCost = tokens.cost + agent.costPerRun;
  return maxCost > 0 ? { maxCost } : undefined;
}

/** A tool node's price: its tool id's, else its kind's; undefined when it has none (free: no hold). */
export function toolCostCap(prices: ToolPrices, tool: { toolId?: string; kind?: string }): NodeCostCap | undefined {
  const byId = tool.toolId === undefined ? undefined : prices.tools[tool.toolId];
  const price = byId ?? (tool.kind === undefined ? undefined : prices.kinds[tool.kind]);
  return price ? { maxCost: price, price } : undefined;
}
