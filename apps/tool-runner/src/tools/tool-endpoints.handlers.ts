import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  FlowstackError,
  MAX_TOOL_TIMEOUT_MS,
  Rpc,
  type McpDiscovery,
  type ToolDiscoverPayload,
  type ToolTestPayload,
  type ToolTestResult,
} from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { McpTools } from '../mcp/mcp-tools';
import { NodeFailure } from '../work/node-failure';
import { RegisteredTools, runnerContext } from './registered-tools';

/**
 * `toolrunner.tool.test` and `toolrunner.tool.discover`, asked by the gateway for
 * `POST /tools/{id}/test` and `/discover` (which has checked the caller's role). The tool is read
 * in the caller's workspace, as the runner; a `/test` run's failure is its answer (`ok: false`),
 * not an error of the request.
 */
@Controller()
export class ToolEndpointsHandlers {
  constructor(
    @Inject(RegisteredTools) private readonly tools: RegisteredTools,
    @Inject(McpTools) private readonly mcp: McpTools,
  ) {}

  @MessagePattern(Rpc.toolRunner.toolTest)
  async test(@Payload() body: ToolTestPayload, @Ctx() rpc: RpcContext): Promise<ToolTestResult> {
    const ctx = runnerContext(rpc.requestContext.workspaceId, rpc.requestContext.correlationId);
    const tool = await this.readOrNotFound(body.toolId, ctx);
    const started = performance.now();
    const signal = AbortSignal.timeout(MAX_TOOL_TIMEOUT_MS);
    const base = { toolId: tool.id, kind: tool.kind, ...(body.mcpTool ? { mcpTool: body.mcpTool } : {}) };
    const scope = {
      input: {},
      nodes: {},
      execution: {
        id: `test-${ctx.correlationId}`,
        workflowId: 'tool-test',
        workflowVersion: 0,
        startedAt: new Date().toISOString(),
      },
    };
    try {
      const output = await this.tools.run(
        tool,
        { ...(body.mcpTool ? { mcpTool: body.mcpTool } : {}), args: body.args ?? {} },
        // A test runs outside any execution: a task of its own for the tool kinds that want one (logs).
        { scope, workspaceId: ctx.workspaceId, executionId: scope.execution.id, taskId: ctx.correlationId, node: { id: 'test' } },
        ctx,
        signal,
      );
      return { ok: true, ...base, output, durationMs: Math.round(performance.now() - started) };
    } catch (e) {
      const failure = e instanceof NodeFailure ? e : new NodeFailure('internal', (e as Error).message, true);
      return {
        ok: false,
        ...base,
        error: failure.toNodeError() as Extract<ToolTestResult, { ok: false }>['error'],
        durationMs: Math.round(performance.now() - started),
      };
    }
  }

  @MessagePattern(Rpc.toolRunner.toolDiscover)
  async discover(@Payload() body: ToolDiscoverPayload, @Ctx() rpc: RpcContext): Promise<McpDiscovery> {
    const ctx = runnerContext(rpc.requestContext.workspaceId, rpc.requestContext.correlationId);
    const tool = await this.readOrNotFound(body.toolId, ctx);
    if (tool.kind !== 'mcp') {
      throw new FlowstackError('conflict', `tool "${tool.name}" is of kind ${tool.kind}: only mcp tools can be discovered`);
    }
    try {
      return await this.mcp.discover(tool, ctx, AbortSignal.timeout(120_000));
    } catch (e) {
      if (!(e instanceof NodeFailure)) throw e;
      // The server's failure is the tool's, not the API's: 409 with the MCP code as the rule.
      const path = tool.config.transport === 'stdio' ? 'config.command' : 'config.serverUrl';
      throw new FlowstackError('conflict', `discovery failed (${e.code}): ${e.message}`, [
        { path, rule: e.code, message: e.message },
      ]);
    }
  }

  private async readOrNotFound(toolId: unknown, ctx: ReturnType<typeof runnerContext>) {
    if (typeof toolId !== 'string') throw new FlowstackError('not_found', 'tool not found');
    try {
      return await this.tools.read(toolId, ctx);
    } catch (e) {
      if (e instanceof NodeFailure && e.code === 'tool_not_found') throw new FlowstackError('not_found', 'tool not found');
      throw e;
    }
  }
}
