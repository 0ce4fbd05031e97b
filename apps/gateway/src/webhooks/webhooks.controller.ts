import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  FlowstackError,
  Rpc,
  createWebhookSchema,
  listWebhooksQuerySchema,
  parseRequest,
  updateWebhookSchema,
  type CreatedWebhookView,
  type Page,
  type RequestContext,
  type UpdatedWebhookView,
  type WebhookView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx, anonymousContext } from '../auth/request-context';
import { Public } from '../auth/public.decorator';
import type { RawBodyRequest } from '../http/http-edge';

/** The largest webhook body (256 KiB): the raw text travels to the scheduler in one bus message. */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

/** `/api/v1/webhooks`: URLs whose signed calls start a workflow. */
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly rpc: RpcClient) {}

  /** The answer carries the signing secret; no later answer does. */
  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CreatedWebhookView> {
    return this.rpc.request(Rpc.scheduler.webhookCreate, parseRequest(createWebhookSchema, body), ctx);
  }

  /** Newest first, optionally one workflow's; no answer but create's carries a secret. */
  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<WebhookView>> {
    return this.rpc.request(Rpc.scheduler.webhookList, parseRequest(listWebhooksQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<WebhookView> {
    return this.rpc.request(Rpc.scheduler.webhookGet, { id }, ctx);
  }

  /** Enable or disable it, and/or rotate its secret (the new one is in this answer, and only here). */
  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<UpdatedWebhookView> {
    return this.rpc.request(Rpc.scheduler.webhookUpdate, { ...parseRequest(updateWebhookSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.scheduler.webhookDelete, { id }, ctx);
  }
}

/**
 * `POST /hooks/{id}`: public, authenticated by the HMAC-SHA256 signature of the raw body
 * (`X-Flowstack-Timestamp`, `X-Flowstack-Signature: v1=<hex>`), or for a webhook made with
 * `auth: token` by `X-Flowstack-Token`; the JSON body is the run's input. 202 with the execution
 * id; 401 for a missing, stale, wrong or replayed signature or token; 409 for a disabled webhook; 413 above
 * `WEBHOOK_BODY_LIMIT_BYTES`; 429 with `Retry-After` over the webhook's rate limit.
 */
@Public()
@Controller('hooks')
export class HooksController {
  constructor(private readonly rpc: RpcClient) {}

  @Post(':id')
  @HttpCode(202)
  call(
    @Param('id') id: string,
    @Req() req: Request,
    @Headers('x-flowstack-timestamp') timestamp: string | undefined,
    @Headers('x-flowstack-signature') signature: string | undefined,
    @Headers('x-flowstack-token') token: string | undefined,
  ): Promise<{ executionId: string; status: string }> {
    const raw = (req as unknown as RawBodyRequest).rawBody ?? Buffer.alloc(0);
    if (raw.length > WEBHOOK_BODY_LIMIT_BYTES) {
      throw new FlowstackError('payload_too_large', `a webhook body may have at most ${WEBHOOK_BODY_LIMIT_BYTES} bytes`);
    }
    return this.rpc.request(
      Rpc.scheduler.hookCall,
      { id, body: raw.toString('utf8'), timestamp, signature, token },
      anonymousContext(req),
    );
  }
}
