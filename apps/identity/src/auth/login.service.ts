import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type AuthResult, type RequestContext } from '@flowstack/contracts';
import { JwtService } from '../tokens/jwt.service';
import { AuthThrottle } from '../throttle/auth-throttle.service';
import { PasswordHasher } from '../users/password.hasher';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.views';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { SignInAudit } from './sign-in-audit';
import { MAX_PASSWORD_BYTES, passwordBytes, type LoginRpcRequest } from './auth.requests';

/** Sign-in with email and password. */
@Injectable()
export class LoginService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly workspaces: WorkspacesService,
    private readonly jwt: JwtService,
    private readonly throttle: AuthThrottle,
    private readonly signIns: SignInAudit,
  ) {}

  /**
   * Throws `FlowstackError('unauthenticated')` with one message for an unknown email and a wrong
   * password alike, after the same bcrypt work, so the answer does not reveal who has an account.
   * Throws `rate_limited` (with `retryAfter`) before any bcrypt work when the address or the email
   * is over its limit, or when too many hashes are in flight.
   *
   * A password over 72 bytes is refused without comparing: registration never accepts one, and
   * bcrypt would compare only its first 72 bytes (a different suffix would log in).
   */
  async login(request: LoginRpcRequest, ctx: RequestContext): Promise<AuthResult> {
    await this.throttle.admitLogin(request.clientIp, request.email);
    if (passwordBytes(request.password) > MAX_PASSWORD_BYTES) {
      throw new FlowstackError('unauthenticated', 'invalid email or password');
    }
    const em = this.em.fork();
    const user = await em.findOne(User, { email: request.email });
    let passwordMatches: boolean;
    try {
      passwordMatches = await this.hasher.verify(request.password, user?.passwordHash);
    } catch (e) {
      // Turned away by the bcrypt gate: the password was not tried, so it is not a failed guess.
      if (e instanceof FlowstackError && e.code === 'rate_limited') await this.throttle.loginNotTried(request.email);
      throw e;
    }
    const details = { clientIp: request.clientIp, userAgent: request.userAgent, method: 'password' as const };
    if (!user || !passwordMatches) {
      if (user) this.signIns.recordLater('LoginFailed', user.id, details, ctx);
      throw new FlowstackError('unauthenticated', 'invalid email or password');
    }
    await this.throttle.loginSucceeded(request.email);
    await this.signIns.record('LoginSucceeded', user.id, details, ctx);
    return {
      token: this.jwt.issue(user.id).token,
      user: toUserView(user),
      workspaces: await this.workspaces.listForUser(em, user.id),
    };
  }
}
