import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createTriggerSchema, listQuerySchema, parseRequest, Rpc, updateTriggerSchema } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { fireHistoryRequestSchema, scheduleIdSchema as idSchema } from '../schedules/schedules.requests';
import { TriggersService } from './triggers.service';

/** Answers `scheduler.trigger.*`: scope from the headers, parse the body, call. */
@Controller()
export class TriggersHandlers {
  constructor(private readonly triggers: TriggersService) {}

  @MessagePattern(Rpc.scheduler.triggerCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.triggers.create(writeScope(ctx.requestContext, 'triggers'), parseRequest(createTriggerSchema, body));
  }

  @MessagePattern(Rpc.scheduler.triggerGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.triggers.get(readScope(ctx.requestContext), parseRequest(idSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.triggerList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.triggers.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.scheduler.triggerUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = (body ?? {}) as Record<string, unknown>;
    const scope = writeScope(ctx.requestContext, 'triggers');
    return this.triggers.update(scope, parseRequest(idSchema, { id }).id, parseRequest(updateTriggerSchema, changes));
  }

  @MessagePattern(Rpc.scheduler.triggerDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.triggers.remove(writeScope(ctx.requestContext, 'triggers'), parseRequest(idSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.triggerHistory)
  history(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...query } = parseRequest(fireHistoryRequestSchema, body);
    return this.triggers.history(readScope(ctx.requestContext), id, query);
  }
}
