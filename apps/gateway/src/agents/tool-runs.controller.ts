import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  MAX_TOOL_TIMEOUT_MS,
  Rpc,
  parseRequest,
  testToolSchema,
  type McpDiscovery,
  type RequestContext,
  type ToolDiscoverResult,
  type ToolTestResult,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** A `/test` run may take the longest tool timeout, plus the runner's reads. */
const TEST_TIMEOUT_MS = MAX_TOOL_TIMEOUT_MS + 10_000;
const DISCOVER_TIMEOUT_MS = 130_000;

/**
 * `POST /api/v1/tools/{id}/test` and `/discover` (editors), run by a tool-runner and recorded by
 * the registry (`ToolTested`, `ToolDiscovered` audit events). Stdio MCP servers are switched on in
 * the workspace settings (`PUT /api/v1/workspaces/{id}/settings {"mcp":{"stdio":true}}`). A failing tool answers 200 `{ ok: false, error }`: the tool's outcome, not the API's.
 */
@Controller('api/v1')
export class ToolRunsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('tools/:id/test')
  @HttpCode(200)
  async test(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ToolTestResult> {
    const request = parseRequest(testToolSchema, body ?? {});
    // Unknown (or another workspace's) tool: the registry's 404, before anything runs.
    await this.rpc.request(Rpc.registry.toolGet, { id }, ctx);
    const result = await this.rpc.request<ToolTestResult>(
      Rpc.toolRunner.toolTest,
      { ...request, toolId: id },
      ctx,
      TEST_TIMEOUT_MS,
    );
    await this.rpc.request(
      Rpc.registry.toolTested,
      {
        id,
        ok: result.ok,
        ...(result.ok ? {} : { errorCode: result.error.code }),
        durationMs: result.durationMs,
        ...(request.mcpTool ? { mcpTool: request.mcpTool } : {}),
      },
      ctx,
    );
    return result;
  }

  @Post('tools/:id/discover')
  @HttpCode(200)
  async discover(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ToolDiscoverResult> {
    await this.rpc.request(Rpc.registry.toolGet, { id }, ctx);
    const discovery = await this.rpc.request<McpDiscovery>(Rpc.toolRunner.toolDiscover, { toolId: id }, ctx, DISCOVER_TIMEOUT_MS);
    return this.rpc.request<ToolDiscoverResult>(Rpc.registry.toolDiscovered, { id, discovery }, ctx);
  }
}
