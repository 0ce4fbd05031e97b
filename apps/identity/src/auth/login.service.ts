import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type AuthResult, type LoginRequest } from '@flowstack/contracts';
import { JwtService } from '../tokens/jwt.service';
import { PasswordHasher } from '../users/password.hasher';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.views';
import { WorkspacesService } from '../workspaces/workspaces.service';

/** Sign-in with email and password. */
@Injectable()
export class LoginService {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher: PasswordHasher,
    private readonly workspaces: WorkspacesService,
    private readonly jwt: JwtService,
  ) {}

  /**
   * Throws `FlowstackError('unauthenticated')` with one message for an unknown email and a wrong
   * password alike, after the same bcrypt work, so the answer does not reveal who has an account.
   */
  async login(request: LoginRequest): Promise<AuthResult> {
    const em = this.em.fork();
    const user = await em.findOne(User, { email: request.email });
    const passwordMatches = await this.hasher.verify(request.password, user?.passwordHash);
    if (!user || !passwordMatches) {
      throw new FlowstackError('unauthenticated', 'invalid email or password');
    }
    return {
      token: this.jwt.issue(user.id).token,
      user: toUserView(user),
      workspaces: await this.workspaces.listForUser(em, user.id),
    };
  }
}
