import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  FlowstackError,
  INVOKE_NODE_ID,
  Rpc,
  conversationSchema,
  invokeWorkflowId,
  parseRequest,
  type AgentInvokeStartPayload,
  type RequestContext,
  type WorkflowGraph,
} from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { StartPricing } from '../billing/start-pricing';
import { ExecutionHandler } from '../executions/execution.handler';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The implicit workflow of an agent invoke: one `agent_call` node over the execution's input
 * `{ messages }`. Pinned in `ExecutionStarted` like any graph, so the run is self-contained.
 */
export function invokeGraph(agentId: string, label?: string): WorkflowGraph {
  return {
    nodes: [
      {
        id: INVOKE_NODE_ID,
        type: 'agent_call',
        ...(label ? { label } : {}),
        config: { agentId, messages: '{{ input.messages }}' },
      },
    ],
    edges: [],
    entry_point: INVOKE_NODE_ID,
  };
}

/**
 * `orchestrator.agent.invoke`: starts an agent invoke's execution with its inline one-node graph
 * (no workflow is saved in the registry: `workflowId` is `agent:<agentId>`, version 0), through
 * the same write path as every start. The gateway has checked that the agent exists in the
 * caller's workspace; the tool-runner reads it in the execution's workspace again.
 */
@Controller()
export class AgentInvokeHandlers {
  constructor(
    private readonly executions: ExecutionHandler,
    private readonly pricing: StartPricing,
  ) {}

  @MessagePattern(Rpc.orchestrator.agentInvoke)
  onInvoke(@Payload() p: AgentInvokeStartPayload, @Ctx() ctx: RpcContext) {
    return this.start(p, ctx.requestContext);
  }

  async start(p: AgentInvokeStartPayload, ctx: RequestContext): Promise<{ executionId: string; status: string }> {
    if (typeof p?.executionId !== 'string' || !UUID.test(p.executionId)) {
      throw new FlowstackError('validation_failed', 'executionId must be a UUID', [
        { path: 'executionId', message: 'must be a UUID', rule: 'invalid_uuid' },
      ]);
    }
    if (typeof p.agentId !== 'string' || p.agentId.length === 0) {
      throw new FlowstackError('validation_failed', 'agentId is required', [{ path: 'agentId', message: 'is required' }]);
    }
    const messages = parseRequest(conversationSchema, p.messages, 'messages');
    const executionId = p.executionId.toLowerCase();
    const graph = invokeGraph(p.agentId, p.label);
    // An invoke costs like any agent node: the price snapshot, and credit to start.
    const costCaps = await this.pricing.snapshot(graph, ctx);
    const { state } = await this.executions.handle(
      executionId,
      ctx.workspaceId,
      () => ({
        type: 'StartExecution',
        data: {
          executionId,
          workspaceId: ctx.workspaceId,
          workflowId: invokeWorkflowId(p.agentId),
          workflowVersion: 0,
          graph,
          input: { messages },
          costCaps,
          trigger: { type: 'api', by: ctx.actor.id },
          now: new Date().toISOString(),
        },
      }),
      ctx,
    );
    return { executionId, status: state.status };
  }
}
