import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  Rpc,
  createNotificationSchema,
  createTriggerSchema,
  fireHistoryQuerySchema,
  listQuerySchema,
  parseRequest,
  updateNotificationSchema,
  updateTriggerSchema,
  type DeliveryView,
  type NotificationView,
  type Page,
  type RequestContext,
  type TriggerFireView,
  type TriggerView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/triggers`: start a workflow when a run of another ends, forwarded to the scheduler. */
@Controller('api/v1/triggers')
export class TriggersController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<TriggerView> {
    return this.rpc.request(Rpc.scheduler.triggerCreate, parseRequest(createTriggerSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<TriggerView>> {
    return this.rpc.request(Rpc.scheduler.triggerList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<TriggerView> {
    return this.rpc.request(Rpc.scheduler.triggerGet, { id }, ctx);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<TriggerView> {
    return this.rpc.request(Rpc.scheduler.triggerUpdate, { ...parseRequest(updateTriggerSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.scheduler.triggerDelete, { id }, ctx);
  }

  @Get(':id/history')
  history(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<TriggerFireView>> {
    return this.rpc.request(Rpc.scheduler.triggerHistory, { ...parseRequest(fireHistoryQuerySchema, query), id }, ctx);
  }
}

/** `/api/v1/notifications`: POST to Slack, Discord or a generic webhook when runs of a workflow end. */
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<NotificationView> {
    return this.rpc.request(Rpc.scheduler.notificationCreate, parseRequest(createNotificationSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<NotificationView>> {
    return this.rpc.request(Rpc.scheduler.notificationList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<NotificationView> {
    return this.rpc.request(Rpc.scheduler.notificationGet, { id }, ctx);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<NotificationView> {
    return this.rpc.request(Rpc.scheduler.notificationUpdate, { ...parseRequest(updateNotificationSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.scheduler.notificationDelete, { id }, ctx);
  }

  @Get(':id/deliveries')
  deliveries(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<DeliveryView>> {
    return this.rpc.request(Rpc.scheduler.notificationDeliveries, { ...parseRequest(fireHistoryQuerySchema, query), id }, ctx);
  }
}
