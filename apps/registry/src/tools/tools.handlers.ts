import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createToolSchema, listQuerySchema, mcpDiscoverySchema, parseRequest, Rpc } from '@flowstack/contracts';
import { z } from 'zod';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { toolIdSchema, updateToolRequestSchema } from './tools.requests';
import { ToolsService } from './tools.service';
import { ToolRunsService } from './tool-runs.service';

const discoveredSchema = z.object({ id: z.string().max(200), discovery: mcpDiscoverySchema });
const testedSchema = z.object({
  id: z.string().max(200),
  ok: z.boolean(),
  errorCode: z.string().max(200).optional(),
  durationMs: z.number().int().min(0),
  mcpTool: z.string().max(256).optional(),
});

/** Answers the `registry.tool.*` subjects. */
@Controller()
export class ToolsHandlers {
  constructor(
    private readonly tools: ToolsService,
    private readonly runs: ToolRunsService,
  ) {}

  @MessagePattern(Rpc.registry.toolDiscovered)
  discovered(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, discovery } = parseRequest(discoveredSchema, body);
    return this.runs.recordDiscovery(writeScope(ctx.requestContext, 'tools'), id, discovery);
  }

  @MessagePattern(Rpc.registry.toolTested)
  tested(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.runs.recordTest(writeScope(ctx.requestContext, 'tools'), parseRequest(testedSchema, body));
  }

  @MessagePattern(Rpc.registry.toolCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.tools.create(writeScope(ctx.requestContext, 'tools'), parseRequest(createToolSchema, body));
  }

  @MessagePattern(Rpc.registry.toolGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.tools.get(readScope(ctx.requestContext), parseRequest(toolIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.toolList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.tools.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.registry.toolUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = parseRequest(updateToolRequestSchema, body);
    return this.tools.update(writeScope(ctx.requestContext, 'tools'), id, changes);
  }

  @MessagePattern(Rpc.registry.toolDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.tools.remove(writeScope(ctx.requestContext, 'tools'), parseRequest(toolIdSchema, body).id);
  }
}
