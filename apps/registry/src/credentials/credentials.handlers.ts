import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createCredentialSchema, listQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope } from '@flowstack/orm';
import { adminScope, toolRunnerScope } from './credential-scope';
import { credentialIdSchema, sealedCredentialRequestSchema, updateCredentialRequestSchema } from './credentials.requests';
import { CredentialsService } from './credentials.service';

/** Answers the `registry.credential.*` subjects. Changes need an admin; reads show no value. */
@Controller()
export class CredentialsHandlers {
  constructor(private readonly credentials: CredentialsService) {}

  @MessagePattern(Rpc.registry.credentialCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credentials.create(adminScope(ctx.requestContext), parseRequest(createCredentialSchema, body));
  }

  @MessagePattern(Rpc.registry.credentialGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credentials.get(readScope(ctx.requestContext), parseRequest(credentialIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.credentialList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credentials.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.registry.credentialUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = parseRequest(updateCredentialRequestSchema, body);
    return this.credentials.update(adminScope(ctx.requestContext), id, changes);
  }

  @MessagePattern(Rpc.registry.credentialDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credentials.remove(adminScope(ctx.requestContext), parseRequest(credentialIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.credentialSealed)
  sealed(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credentials.sealed(toolRunnerScope(ctx.requestContext), parseRequest(sealedCredentialRequestSchema, body));
  }
}
