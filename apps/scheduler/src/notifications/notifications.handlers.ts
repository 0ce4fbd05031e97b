import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createNotificationSchema, listQuerySchema, parseRequest, Rpc, updateNotificationSchema } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { fireHistoryRequestSchema, scheduleIdSchema as idSchema } from '../schedules/schedules.requests';
import { NotificationsService } from './notifications.service';

/** Answers `scheduler.notification.*`: scope from the headers, parse the body, call. */
@Controller()
export class NotificationsHandlers {
  constructor(private readonly notifications: NotificationsService) {}

  @MessagePattern(Rpc.scheduler.notificationCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.notifications.create(
      writeScope(ctx.requestContext, 'notifications'),
      parseRequest(createNotificationSchema, body),
    );
  }

  @MessagePattern(Rpc.scheduler.notificationGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.notifications.get(readScope(ctx.requestContext), parseRequest(idSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.notificationList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.notifications.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.scheduler.notificationUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = (body ?? {}) as Record<string, unknown>;
    const scope = writeScope(ctx.requestContext, 'notifications');
    return this.notifications.update(scope, parseRequest(idSchema, { id }).id, parseRequest(updateNotificationSchema, changes));
  }

  @MessagePattern(Rpc.scheduler.notificationDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.notifications.remove(writeScope(ctx.requestContext, 'notifications'), parseRequest(idSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.notificationDeliveries)
  deliveries(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...query } = parseRequest(fireHistoryRequestSchema, body);
    return this.notifications.deliveries(readScope(ctx.requestContext), id, query);
  }
}
