import { Injectable } from '@nestjs/common';
import { FlowstackError, type NodeCostCap, type RequestContext, type WorkflowGraph } from '@flowstack/contracts';
import { CreditHoldsClient } from './credit-holds.client';
import { NodePricing } from './node-pricing.service';

/**
 * What every new run does before its `ExecutionStarted` (a start, a fork, an agent invoke): take
 * the price snapshot of its costed nodes (`ExecutionStarted.costCaps`, so each attempt holds before
 * dispatch) and refuse it with `insufficient_credits` (402) when it can cost money and the
 * workspace has no credit. A run of free nodes needs neither.
 */
@Injectable()
export class StartPricing {
  constructor(
    private readonly pricing: NodePricing,
    private readonly credits: CreditHoldsClient,
  ) {}

  async snapshot(graph: WorkflowGraph, ctx: RequestContext): Promise<Record<string, NodeCostCap>> {
    const costCaps = await this.pricing.costCapsOf(graph, ctx);
    if (Object.keys(costCaps).length === 0) return costCaps;
    const { available } = await this.credits.balance(ctx);
    if (available <= 0) {
      throw new FlowstackError(
        'insufficient_credits',
        `this workflow runs nodes that cost credits and the workspace has ${available} available; an admin can add credits (POST /api/v1/credits/grants)`,
      );
    }
    return costCaps;
  }
}
