import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createToolSchema, listQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { toolIdSchema, updateToolRequestSchema } from './tools.requests';
import { ToolsService } from './tools.service';

/** Answers the `registry.tool.*` subjects. */
@Controller()
export class ToolsHandlers {
  constructor(private readonly tools: ToolsService) {}

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
