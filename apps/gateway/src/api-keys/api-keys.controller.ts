import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  Rpc,
  apiKeyParamsSchema,
  createApiKeySchema,
  parseRequest,
  type ApiKeyView,
  type CreatedApiKeyView,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { WorkspaceFromPath } from '../auth/workspace-from-path.decorator';

/** `/api/v1/workspaces/{id}/api-keys`: a workspace's API keys (admins; see `ACCESS_POLICY`). */
@Controller('api/v1/workspaces/:id/api-keys')
@WorkspaceFromPath()
export class ApiKeysController {
  constructor(private readonly rpc: RpcClient) {}

  /** The key is in this answer only. */
  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CreatedApiKeyView> {
    return this.rpc.request(Rpc.apiKeys.create, parseRequest(createApiKeySchema, body), ctx);
  }

  @Get()
  list(@Ctx() ctx: RequestContext): Promise<{ items: ApiKeyView[] }> {
    return this.rpc.request(Rpc.apiKeys.list, {}, ctx);
  }

  @Delete(':keyId')
  @HttpCode(204)
  async revoke(@Param('keyId') keyId: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.apiKeys.revoke, parseRequest(apiKeyParamsSchema, { keyId }), ctx);
  }
}
