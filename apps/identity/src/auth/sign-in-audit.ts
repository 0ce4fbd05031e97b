import { Injectable, Logger } from '@nestjs/common';
import type { RequestContext } from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';

/** Sign-in events of the audit log; the IP is the gateway's `req.ip`, the user agent as the client sent it. */
export type SignInEventType = 'LoginSucceeded' | 'LoginFailed' | 'LoggedOut';

export interface SignInDetails {
  clientIp?: string;
  userAgent?: string;
  /** How the user proved who they are. */
  method?: 'password' | 'oidc';
}

/**
 * The stream of a user's sign-ins as one workspace sees them: an event store stream belongs to one
 * workspace, and a user may belong to several.
 */
export const signInStreamOf = (userId: string, workspaceId: string): string => `user-${userId}-in-${workspaceId}`;

/**
 * Appends a sign-in event to the user's sign-in stream once per workspace they belong to, so the admins
 * of each of those workspaces see it at `GET /audit` (an event belongs to one workspace). The
 * actor is the user (the calling context of a login is anonymous). A login with an unknown email
 * has no user and no workspace: it is logged, not recorded.
 */
@Injectable()
export class SignInAudit {
  private readonly log = new Logger('audit');

  constructor(private readonly audit: AuditLog) {}

  async record(type: SignInEventType, userId: string, details: SignInDetails, ctx: RequestContext): Promise<void> {
    await this.audit.transaction(ctx, async (em, record) => {
      const memberships = await em.execute<{ workspace_id: string }[]>(
        'select workspace_id from identity.memberships where user_id = ? order by created_at, id',
        [userId],
      );
      const data = {
        userId,
        ip: details.clientIp ?? null,
        userAgent: details.userAgent ?? null,
        ...(details.method ? { method: details.method } : {}),
      };
      for (const { workspace_id: workspaceId } of memberships) {
        await record(
          signInStreamOf(userId, workspaceId),
          workspaceId,
          [{ type, data, metadata: { actor: { id: userId, type: 'user' } } }],
          'any',
        );
      }
    });
  }

  /** For the failure path: recorded after the answer, so a wrong password costs no more time than an unknown email. */
  recordLater(type: SignInEventType, userId: string, details: SignInDetails, ctx: RequestContext): void {
    this.record(type, userId, details, ctx).catch((e: unknown) =>
      this.log.error(`could not record ${type} of user ${userId}: ${String(e)}`),
    );
  }
}
