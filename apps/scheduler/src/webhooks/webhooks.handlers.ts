import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import { createWebhookSchema, listWebhooksQuerySchema, parseRequest, Rpc, updateWebhookSchema } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { WebhooksService } from './webhooks.service';

const webhookIdSchema = z.object({ id: z.string().max(200) });
const hookCallSchema = z.object({
  id: z.string().max(200),
  body: z.string(),
  timestamp: z.string().max(100).optional(),
  signature: z.string().max(200).optional(),
  token: z.string().max(200).optional(),
});

/** Answers `scheduler.webhook.*` (workspace scoped) and `scheduler.hook.call` (the webhook names its workspace). */
@Controller()
export class WebhooksHandlers {
  constructor(private readonly webhooks: WebhooksService) {}

  @MessagePattern(Rpc.scheduler.webhookCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.webhooks.create(writeScope(ctx.requestContext, 'webhooks'), parseRequest(createWebhookSchema, body));
  }

  @MessagePattern(Rpc.scheduler.webhookGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.webhooks.get(readScope(ctx.requestContext), parseRequest(webhookIdSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.webhookList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.webhooks.list(readScope(ctx.requestContext), parseRequest(listWebhooksQuerySchema, body));
  }

  @MessagePattern(Rpc.scheduler.webhookUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = (body ?? {}) as Record<string, unknown>;
    const scope = writeScope(ctx.requestContext, 'webhooks');
    return this.webhooks.update(scope, parseRequest(webhookIdSchema, { id }).id, parseRequest(updateWebhookSchema, changes));
  }

  @MessagePattern(Rpc.scheduler.webhookDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.webhooks.remove(writeScope(ctx.requestContext, 'webhooks'), parseRequest(webhookIdSchema, body).id);
  }

  @MessagePattern(Rpc.scheduler.hookCall)
  call(@Payload() body: unknown) {
    return this.webhooks.call(parseRequest(hookCallSchema, body));
  }
}
