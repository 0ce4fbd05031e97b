import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FlowstackError, parseRequest, Rpc, type RequestContext } from '@flowstack/contracts';
import { RpcServer } from '@flowstack/messaging';
import { TokenRevocationService } from '../tokens/token-revocation.service';
import { ProfileService } from '../users/profile.service';
import { loginRequestSchema, logoutRequestSchema, registerRequestSchema, resolveRequestSchema } from './auth.requests';
import { LoginService } from './login.service';
import { PrincipalResolver } from './principal.resolver';
import { RegistrationService } from './registration.service';

/** Answers the `identity.auth.*` subjects: parse the body, call, return the view. */
@Injectable()
export class AuthHandlers implements OnModuleInit {
  constructor(
    private readonly rpc: RpcServer,
    private readonly registration: RegistrationService,
    private readonly logins: LoginService,
    private readonly principals: PrincipalResolver,
    private readonly revocations: TokenRevocationService,
    private readonly profiles: ProfileService,
  ) {}

  onModuleInit(): void {
    this.rpc.handle(Rpc.identity.register, (body: unknown, ctx) =>
      this.registration.register(parseRequest(registerRequestSchema, body), ctx),
    );
    this.rpc.handle(Rpc.identity.login, (body: unknown) => this.logins.login(parseRequest(loginRequestSchema, body)));
    this.rpc.handle(Rpc.identity.resolve, (body: unknown) => this.principals.resolve(parseRequest(resolveRequestSchema, body)));
    this.rpc.handle(Rpc.identity.logout, (body: unknown) =>
      this.revocations.logout(parseRequest(logoutRequestSchema, body).token),
    );
    this.rpc.handle(Rpc.identity.me, (_body: unknown, ctx) => this.profiles.profile(userIdOf(ctx)));
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
