import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type MemberView, type RequestContext, type Role } from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { decideRemoval, decideRoleChange } from '../domain/membership.rules';
import { Membership } from '../workspaces/membership.entity';
import { adminsIn, lockMembersAsAdmin, workspaceOf } from './workspace-access';

/** The members of the caller's workspace: list, change a role, remove (admins; never the last admin). */
@Injectable()
export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly feed: AuthFeedPublisher,
  ) {}

  async list(ctx: RequestContext): Promise<{ items: MemberView[] }> {
    const members = await this.em
      .fork()
      .find(Membership, { workspace: workspaceOf(ctx) }, { populate: ['user'], orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return { items: members.map(toMemberView) };
  }

  /**
   * Throws `not_found` for someone who is not a member, `conflict` (409) when it would demote the
   * last admin, `forbidden` when the caller is not an admin. Same role again: no change, no event.
   * The new role reaches every gateway through the auth feed before this answers.
   */
  async changeRole(ctx: RequestContext, userId: string, role: Role): Promise<MemberView> {
    const workspaceId = workspaceOf(ctx);
    const { view, changed } = await this.audit.transaction(ctx, async (em, record) => {
      const members = await lockMembersAsAdmin(em, ctx);
      const target = memberIn(members, userId);
      const from = target.role;
      if (decideRoleChange({ current: from, wanted: role, admins: adminsIn(members) }) === 'unchanged') {
        return { view: toMemberView(target), changed: false };
      }
      target.role = role;
      await em.flush();
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [{ type: 'RoleChanged', data: { workspaceId, userId: target.user.id, from, to: role } }],
        'any',
      );
      return { view: toMemberView(target), changed: true };
    });
    if (changed) await this.feed.membershipChanged(view.userId, workspaceId, role);
    return view;
  }

  /** Throws like `changeRole`; `conflict` for the last admin. The member's next call anywhere is 404. */
  async remove(ctx: RequestContext, userId: string): Promise<{ removed: true }> {
    const workspaceId = workspaceOf(ctx);
    const removedId = await this.audit.transaction(ctx, async (em, record) => {
      const members = await lockMembersAsAdmin(em, ctx);
      const target = memberIn(members, userId);
      decideRemoval({ role: target.role, admins: adminsIn(members) });
      em.remove(target);
      await em.flush();
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [{ type: 'MemberRemoved', data: { workspaceId, userId: target.user.id, role: target.role } }],
        'any',
      );
      return target.user.id;
    });
    await this.feed.membershipChanged(removedId, workspaceId, null);
    return { removed: true };
  }
}

function memberIn(members: Membership[], userId: string): Membership {
  const found = members.find((m) => m.user.id === userId.toLowerCase());
  if (!found) throw new FlowstackError('not_found', 'member not found');
  return found;
}

export const toMemberView = (m: Membership): MemberView => ({
  userId: m.user.id,
  email: m.user.email,
  ...(m.user.name ? { name: m.user.name } : {}),
  role: m.role,
  joinedAt: m.createdAt.toISOString(),
});
