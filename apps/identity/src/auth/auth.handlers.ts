import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FlowstackError, parseRequest, Rpc, type RequestContext } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { TokenRevocationService } from '../tokens/token-revocation.service';
import { ProfileService } from '../users/profile.service';
import { loginRequestSchema, logoutRequestSchema, registerRequestSchema, resolveRequestSchema } from './auth.requests';
import { LoginService } from './login.service';
import { PrincipalResolver } from './principal.resolver';
import { RegistrationService } from './registration.service';
import { SignInAudit } from './sign-in-audit';

/** Answers the `identity.auth.*` subjects: parse the body, call, return the view. */
@Controller()
export class AuthHandlers {
  constructor(
    private readonly registration: RegistrationService,
    private readonly logins: LoginService,
    private readonly principals: PrincipalResolver,
    private readonly revocations: TokenRevocationService,
    private readonly profiles: ProfileService,
    private readonly signIns: SignInAudit,
  ) {}

  @MessagePattern(Rpc.identity.register)
  register(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.registration.register(parseRequest(registerRequestSchema, body), ctx.requestContext);
  }

  @MessagePattern(Rpc.identity.login)
  login(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.logins.login(parseRequest(loginRequestSchema, body), ctx.requestContext);
  }

  @MessagePattern(Rpc.identity.resolve)
  resolve(@Payload() body: unknown) {
    return this.principals.resolve(parseRequest(resolveRequestSchema, body));
  }

  @MessagePattern(Rpc.identity.logout)
  async logout(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { token, clientIp, userAgent } = parseRequest(logoutRequestSchema, body);
    const result = await this.revocations.logout(token);
    await this.signIns.record('LoggedOut', result.userId, { clientIp, userAgent }, ctx.requestContext);
    return { revoked: result.revoked };
  }

  @MessagePattern(Rpc.identity.me)
  me(@Ctx() ctx: RpcContext) {
    return this.profiles.profile(userIdOf(ctx.requestContext));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `me` is about the calling user, whom the gateway names in the actor header after `resolve`. */
function userIdOf(ctx: RequestContext): string {
  if (ctx.actor.type !== 'user' || !UUID.test(ctx.actor.id)) {
    throw new FlowstackError('unauthenticated', 'a signed-in user is required');
  }
  return ctx.actor.id;
}
