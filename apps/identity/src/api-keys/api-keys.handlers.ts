import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { Rpc, apiKeyParamsSchema, apiKeyTouchSchema, createApiKeySchema, parseRequest } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { ApiKeysService } from './api-keys.service';

/** Answers `Rpc.apiKeys.*` in the context's workspace; `touch` comes from the gateways. */
@Controller()
export class ApiKeysHandlers {
  constructor(private readonly keys: ApiKeysService) {}

  @MessagePattern(Rpc.apiKeys.create)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.keys.create(ctx.requestContext, parseRequest(createApiKeySchema, body));
  }

  @MessagePattern(Rpc.apiKeys.list)
  list(@Ctx() ctx: RpcContext) {
    return this.keys.list(ctx.requestContext);
  }

  @MessagePattern(Rpc.apiKeys.revoke)
  revoke(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.keys.revoke(ctx.requestContext, parseRequest(apiKeyParamsSchema, body).keyId);
  }

  @MessagePattern(Rpc.apiKeys.touch)
  touch(@Payload() body: unknown) {
    return this.keys.touch(parseRequest(apiKeyTouchSchema, body).items);
  }
}
