import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createScheduleSchema, listQuerySchema, parseRequest, Rpc, updateScheduleSchema } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { fireHistoryRequestSchema, nextFiresRequestSchema, scheduleIdSchema } from './schedules.requests';
import { SchedulesService } from './schedules.service';

/** Answers the `scheduler.schedule.*` subjects: scope from the headers, parse the body, call. */
@Controller()
export class SchedulesHandlers {
  constructor(private readonly schedules: SchedulesService) {}

  @MessagePattern(Rpc.scheduler.scheduleCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.create(writeScope(ctx.requestContext, 'schedules'), parseRequest(createScheduleSchema, body));
  }

  @MessagePattern(Rpc.scheduler.scheduleGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.get(readScope(ctx.requestContext), parseRequest(scheduleIdSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.scheduleList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.scheduler.scheduleUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = (body ?? {}) as Record<string, unknown>;
    const scope = writeScope(ctx.requestContext, 'schedules');
    return this.schedules.update(scope, parseRequest(scheduleIdSchema, { id }).id, parseRequest(updateScheduleSchema, changes));
  }

  @MessagePattern(Rpc.scheduler.scheduleDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.remove(writeScope(ctx.requestContext, 'schedules'), parseRequest(scheduleIdSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.schedulePause)
  pause(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.setPaused(writeScope(ctx.requestContext, 'schedules'), parseRequest(scheduleIdSchema, body).id, true);
  }

  @MessagePattern(Rpc.scheduler.scheduleResume)
  resume(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.schedules.setPaused(writeScope(ctx.requestContext, 'schedules'), parseRequest(scheduleIdSchema, body).id, false);
  }

  @MessagePattern(Rpc.scheduler.scheduleNext)
  next(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, count } = parseRequest(nextFiresRequestSchema, body);
    return this.schedules.next(readScope(ctx.requestContext), id, count);
  }

  @MessagePattern(Rpc.scheduler.scheduleHistory)
  history(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...query } = parseRequest(fireHistoryRequestSchema, body);
    return this.schedules.history(readScope(ctx.requestContext), id, query);
  }
}
