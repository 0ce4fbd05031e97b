import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { JwtService } from './jwt.service';

/** What `identity.auth.logout` answers. */
export interface LogoutResult {
  revoked: true;
  /** Whose token it was (for the audit log; not part of the answer). */
  userId: string;
}

/** Logout: a token stays refused until its own expiry, after which the signature check refuses it. */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly em: EntityManager,
    private readonly jwt: JwtService,
    private readonly feed: AuthFeedPublisher,
  ) {}

  /**
   * Revokes a valid token (idempotent: logging out twice is fine), in Postgres and then on the
   * auth feed, from which every gateway refuses it. Throws `FlowstackError('unauthenticated')` for
   * a token that is invalid or already expired; a NATS error fails the logout (retry it).
   */
  async logout(token: string): Promise<LogoutResult> {
    const { jti, exp, sub } = this.jwt.verify(token);
    const em = this.em.fork();
    await em.execute(
      'insert into identity.revoked_tokens (jti, expires_at, revoked_at) values (?, ?, now()) on conflict (jti) do nothing',
      [jti, new Date(exp * 1000)],
    );
    // Rows of expired tokens are dead weight: the signature check refuses those tokens by itself.
    // Sweeping on logout keeps the table as small as the set of live revoked tokens, no timer needed.
    await em.execute('delete from identity.revoked_tokens where expires_at < now()');
    await this.feed.revoked(jti, exp);
    return { revoked: true, userId: sub };
  }
}
