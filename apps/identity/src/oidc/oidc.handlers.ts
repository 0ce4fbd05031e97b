import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { OidcLoginService } from './oidc-login.service';
import { oidcBeginRequestSchema, oidcCompleteRequestSchema } from './oidc.requests';

/** Answers `identity.oidc.*`: whether SSO is on, start an OpenID Connect login, complete it from the callback. */
@Controller()
export class OidcHandlers {
  constructor(private readonly logins: OidcLoginService) {}

  @MessagePattern(Rpc.oidc.oidcBegin)
  begin(@Payload() body: unknown) {
    parseRequest(oidcBeginRequestSchema, body ?? {});
    return this.logins.begin();
  }

  @MessagePattern(Rpc.oidc.oidcStatus)
  status(@Payload() body: unknown) {
    parseRequest(oidcBeginRequestSchema, body ?? {});
    return this.logins.status();
  }

  @MessagePattern(Rpc.oidc.oidcComplete)
  complete(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.logins.complete(parseRequest(oidcCompleteRequestSchema, body), ctx.requestContext);
  }
}
