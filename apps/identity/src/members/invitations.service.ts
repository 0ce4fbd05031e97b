import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  type CreatedInvitationView,
  type InvitationView,
  type InviteMemberRequest,
  type RequestContext,
  type WorkspaceView,
} from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { decideInvitationAnswer } from '../domain/membership.rules';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { User } from '../users/user.entity';
import { Membership } from '../workspaces/membership.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Invitation } from './invitation.entity';
import { lockMembersAsAdmin, userOf, workspaceOf } from './workspace-access';

/** 256 random bits, base64url: the token is the invitation link's secret. */
const newToken = (): string => randomBytes(32).toString('base64url');
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Invitations: an admin invites an email with a role and gets a single-use token to pass on (there
 * is no mail service: the answer carries it this once); the person who signs in with that email
 * accepts (becomes a member, on every gateway before the answer) or declines. Expiry is
 * `INVITATION_TTL_HOURS`. Re-inviting an email supersedes its pending invitation.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly feed: AuthFeedPublisher,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** Throws `conflict` (at `email`) when that person is already a member; `forbidden` for a non-admin. */
  async create(ctx: RequestContext, request: InviteMemberRequest): Promise<CreatedInvitationView> {
    const workspaceId = workspaceOf(ctx);
    const token = newToken();
    const invitation = await this.audit.transaction(ctx, async (em, record) => {
      const members = await lockMembersAsAdmin(em, ctx);
      if (members.some((m) => m.user.email === request.email)) {
        throw new FlowstackError('conflict', 'this person is already a member', [
          { path: 'email', message: 'already a member of this workspace', rule: 'already_member' },
        ]);
      }
      await em.nativeUpdate(
        Invitation,
        { workspace: workspaceId, email: request.email, status: 'pending' },
        { status: 'revoked', answeredAt: new Date() },
      );
      const now = new Date();
      const invitation = em.create(Invitation, {
        workspace: em.getReference(Workspace, workspaceId),
        email: request.email,
        role: request.role,
        tokenHash: hashOf(token),
        status: 'pending',
        invitedBy: ctx.actor.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.config.invitationTtlSeconds * 1000),
        answeredAt: null,
      });
      await em.flush();
      // The email stays out of the append-only log (personal data); the invitation row has it.
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [
          {
            type: 'MemberInvited',
            data: { workspaceId, invitationId: invitation.id, role: request.role, invitedBy: ctx.actor.id },
          },
        ],
        'any',
      );
      return invitation;
    });
    return { ...toInvitationView(invitation), token };
  }

  /** The workspace's pending invitations, newest first (expired ones too, with their `expiresAt`). */
  async list(ctx: RequestContext): Promise<{ items: InvitationView[] }> {
    const rows = await this.em
      .fork()
      .find(Invitation, { workspace: workspaceOf(ctx), status: 'pending' }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return { items: rows.map(toInvitationView) };
  }

  /** Withdraws a pending invitation: `not_found` for an unknown, another workspace's or answered one. */
  async revoke(ctx: RequestContext, invitationId: string): Promise<{ revoked: true }> {
    const workspaceId = workspaceOf(ctx);
    await this.audit.transaction(ctx, async (em, record) => {
      await lockMembersAsAdmin(em, ctx);
      const changed = await em.nativeUpdate(
        Invitation,
        { id: invitationId, workspace: workspaceId, status: 'pending' },
        { status: 'revoked', answeredAt: new Date() },
      );
      if (changed === 0) throw new FlowstackError('not_found', 'invitation not found');
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [{ type: 'InvitationRevoked', data: { workspaceId, invitationId } }],
        'any',
      );
    });
    return { revoked: true };
  }

  /** The signed-in invitee joins with the invited role. Errors: see `decideInvitationAnswer`. */
  async accept(ctx: RequestContext, token: string): Promise<WorkspaceView> {
    const userId = userOf(ctx);
    const joined = await this.audit
      .transaction(ctx, async (em, record) => {
        const { invitation, user, alreadyMember } = await this.load(em, token, userId);
        decideInvitationAnswer({ invitation, userEmail: user.email, now: new Date(), answer: 'accept', alreadyMember });
        const found = invitation as Invitation;
        const workspaceId = found.workspace.id;
        em.create(Membership, { workspace: found.workspace, user, role: found.role });
        found.status = 'accepted';
        found.answeredAt = new Date();
        await em.flush();
        await record(
          `workspace-${workspaceId}`,
          workspaceId,
          [{ type: 'MemberJoined', data: { workspaceId, userId, role: found.role, invitationId: found.id } }],
          'any',
        );
        const workspace = await em.findOneOrFail(Workspace, { id: workspaceId });
        return { id: workspaceId, name: workspace.name, role: found.role };
      })
      .catch((e: unknown) => {
        // Two accepts of one person racing (through two invitations): the second finds the first's row.
        if (e instanceof UniqueConstraintViolationException)
          throw new FlowstackError('conflict', 'you are already a member of this workspace');
        throw e;
      });
    await this.feed.membershipChanged(userId, joined.id, joined.role);
    return joined;
  }

  /** The signed-in invitee says no; the token is spent. */
  async decline(ctx: RequestContext, token: string): Promise<{ declined: true }> {
    const userId = userOf(ctx);
    await this.audit.transaction(ctx, async (em, record) => {
      const { invitation, user, alreadyMember } = await this.load(em, token, userId);
      decideInvitationAnswer({ invitation, userEmail: user.email, now: new Date(), answer: 'decline', alreadyMember });
      const found = invitation as Invitation;
      found.status = 'declined';
      found.answeredAt = new Date();
      await em.flush();
      await record(
        `workspace-${found.workspace.id}`,
        found.workspace.id,
        [{ type: 'InvitationDeclined', data: { workspaceId: found.workspace.id, userId, invitationId: found.id } }],
        'any',
      );
    });
    return { declined: true };
  }

  /** The invitation by its token's hash, locked: one token is answered once, however many race. */
  private async load(em: EntityManager, token: string, userId: string) {
    const invitation = await em.findOne(Invitation, { tokenHash: hashOf(token) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const user = await em.findOne(User, { id: userId });
    if (!user) throw new FlowstackError('unauthenticated', 'user not found');
    const alreadyMember = invitation
      ? (await em.count(Membership, { workspace: invitation.workspace.id, user: userId })) > 0
      : false;
    return { invitation: invitation ?? undefined, user, alreadyMember };
  }
}

const toInvitationView = (i: Invitation): InvitationView => ({
  id: i.id,
  workspaceId: i.workspace.id,
  email: i.email,
  role: i.role,
  status: i.status,
  invitedBy: i.invitedBy,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});
