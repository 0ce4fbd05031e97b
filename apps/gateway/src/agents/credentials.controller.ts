import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  Rpc,
  createCredentialSchema,
  listQuerySchema,
  parseRequest,
  updateCredentialSchema,
  type CredentialView,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/**
 * `/api/v1/credentials`: the workspace's secrets. Admins create, rotate (PATCH `value`), rename
 * and delete; every member reads the metadata. No answer ever carries a value.
 */
@Controller('api/v1/credentials')
export class CredentialsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CredentialView> {
    return this.rpc.request(Rpc.registry.credentialCreate, parseRequest(createCredentialSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<CredentialView>> {
    return this.rpc.request(Rpc.registry.credentialList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<CredentialView> {
    return this.rpc.request(Rpc.registry.credentialGet, { id }, ctx);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CredentialView> {
    return this.rpc.request(Rpc.registry.credentialUpdate, { ...parseRequest(updateCredentialSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.registry.credentialDelete, { id }, ctx);
  }
}
