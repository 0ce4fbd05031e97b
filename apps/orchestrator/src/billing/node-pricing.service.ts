import { Inject, Injectable } from '@nestjs/common';
import {
  FlowstackError,
  Rpc,
  agentCallConfigSchema,
  type AgentView,
  type NodeCostCap,
  type RequestContext,
  type ToolView,
  type WorkflowGraph,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import type { PriceTable } from '@flowstack/pricing';
import { agentCostCap, toolCostCap } from './node-cost';
import type { ToolPrices } from './tool-prices';

export const PRICE_TABLE = Symbol('PRICE_TABLE');
export const TOOL_PRICES = Symbol('TOOL_PRICES');

/**
 * The price snapshot of a run, taken when it starts (`ExecutionStarted.costCaps`): for every node
 * that can cost money, what one attempt may cost at most. Agents and registered tools are read
 * from the registry in the starting workspace. A node whose agent or tool is gone gets no cap: it
 * fails at run time (`agent_not_found`) without costing anything.
 */
@Injectable()
export class NodePricing {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(PRICE_TABLE) private readonly prices: PriceTable,
    @Inject(TOOL_PRICES) private readonly toolPrices: ToolPrices,
  ) {}

  async costCapsOf(graph: WorkflowGraph, ctx: RequestContext): Promise<Record<string, NodeCostCap>> {
    const caps: Record<string, NodeCostCap> = {};
    const agents = new Map<string, Promise<AgentView | undefined>>();
    const priceKinds = Object.keys(this.toolPrices.kinds).length > 0;
    await Promise.all(
      graph.nodes.map(async (node) => {
        let cap: NodeCostCap | undefined;
        if (node.type === 'agent_call') {
          const config = agentCallConfigSchema.safeParse(node.config ?? {});
          if (!config.success) return;
          const { agentId, maxSteps } = config.data;
          if (!agents.has(agentId)) agents.set(agentId, this.read<AgentView>(Rpc.registry.agentGet, agentId, ctx));
          const agent = await agents.get(agentId);
          cap = agent ? agentCostCap(agent, this.prices, maxSteps) : undefined;
        } else if (node.type === 'tool') {
          const config = (node.config ?? {}) as { toolId?: unknown; tool?: { kind?: unknown } };
          const toolId = typeof config.toolId === 'string' ? config.toolId : undefined;
          let kind = typeof config.tool?.kind === 'string' ? config.tool.kind : undefined;
          if (toolId !== undefined && kind === undefined && priceKinds && this.toolPrices.tools[toolId] === undefined) {
            kind = (await this.read<ToolView>(Rpc.registry.toolGet, toolId, ctx))?.kind;
          }
          cap = toolCostCap(this.toolPrices, {
            ...(toolId === undefined ? {} : { toolId }),
            ...(kind === undefined ? {} : { kind }),
          });
        }
        if (cap) caps[node.id] = cap;
      }),
    );
    return caps;
  }

  /** A registry resource of the workspace, or undefined when it is gone. */
  private async read<T>(name: string, id: string, ctx: RequestContext): Promise<T | undefined> {
    try {
      return await this.rpc.request<T>(name, { id }, ctx);
    } catch (e) {
      if (e instanceof FlowstackError && e.code === 'not_found') return undefined;
      throw e;
    }
  }
}
