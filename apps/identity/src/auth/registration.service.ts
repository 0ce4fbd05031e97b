import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { FlowstackError, type AuthResult, type RegisterRequest, type RequestContext } from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { JwtService } from '../tokens/jwt.service';
import { AuthThrottle } from '../throttle/auth-throttle.service';
import { PasswordHasher } from '../users/password.hasher';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.views';
import { WorkspacesService } from '../workspaces/workspaces.service';
import type { RegisterRpcRequest } from './auth.requests';

/** Sign-up: a user, their first workspace (they are its admin) and a token, in one step. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly audit: AuditLog,
    private readonly hasher: PasswordHasher,
    private readonly workspaces: WorkspacesService,
    private readonly jwt: JwtService,
    private readonly throttle: AuthThrottle,
    private readonly feed: AuthFeedPublisher,
  ) {}

  /**
   * Throws `FlowstackError('conflict')` when the email is taken (not retryable), `rate_limited`
   * (with `retryAfter`) before any hashing when the client address is over its registration limit
   * or too many hashes are in flight.
   */
  async register(request: RegisterRpcRequest, ctx: RequestContext): Promise<AuthResult> {
    await this.throttle.admitRegister(request.clientIp);
    // Hashed before the transaction opens: ~250 ms of CPU must not hold a connection and locks.
    const passwordHash = await this.hasher.hash(request.password);
    const { user, workspace } = await this.audit
      .transaction(ctx, async (em, record) => {
        const user = em.create(User, { email: request.email, passwordHash, name: request.name ?? null });
        const { workspace } = this.workspaces.createOwned(em, user, workspaceNameFor(request));
        // Flushed before the events so a taken email fails here, before anything is appended.
        await em.flush();
        // The email stays out of the append-only log: it is personal data that may have to be erased.
        await record(`user-${user.id}`, workspace.id, [{ type: 'UserRegistered', data: { userId: user.id } }], 'no_stream');
        await record(
          `workspace-${workspace.id}`,
          workspace.id,
          [
            { type: 'WorkspaceCreated', data: { workspaceId: workspace.id, name: workspace.name, ownerId: user.id } },
            { type: 'MemberAdded', data: { workspaceId: workspace.id, userId: user.id, role: 'admin' } },
          ],
          'no_stream',
        );
        return { user, workspace };
      })
      .catch((e: unknown) => {
        if (e instanceof UniqueConstraintViolationException) {
          throw new FlowstackError('conflict', 'an account with this email already exists');
        }
        throw e;
      });
    // After the commit and before the answer: a gateway asked with the new token knows the membership.
    await this.feed.membershipChanged(user.id, workspace.id, 'admin');
    return {
      token: this.jwt.issue(user.id).token,
      user: toUserView(user),
      workspace: { id: workspace.id, name: workspace.name, role: 'admin' },
    };
  }
}

/** "Ada Lovelace's workspace", or from the email's local part when no name is given. */
function workspaceNameFor(request: RegisterRequest): string {
  const owner = request.name ?? request.email.split('@')[0];
  return `${owner}'s workspace`.slice(0, 200);
}
