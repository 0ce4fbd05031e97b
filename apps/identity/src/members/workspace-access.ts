import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type RequestContext } from '@flowstack/contracts';
import { Membership } from '../workspaces/membership.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The workspace a workspace-scoped call acts in (the gateway's active one). */
export function workspaceOf(ctx: RequestContext): string {
  if (!UUID.test(ctx.workspaceId)) throw new FlowstackError('unauthenticated', 'a workspace is required');
  return ctx.workspaceId.toLowerCase();
}

/** The calling user (never an API key or the system): invitations and own workspaces are a person's. */
export function userOf(ctx: RequestContext): string {
  if (ctx.actor.type !== 'user' || !UUID.test(ctx.actor.id)) {
    throw new FlowstackError('forbidden', 'only a signed-in user can do this');
  }
  return ctx.actor.id.toLowerCase();
}

/**
 * Every membership of the workspace, locked until the transaction ends (`FOR UPDATE`), so that two
 * admins demoting or removing each other at once cannot leave the workspace without an admin: the
 * second waits for the first and then counts what it left. Also re-checks that the caller is an
 * admin here and now (the gateway's role may be up to a second old): `forbidden` otherwise.
 */
export async function lockMembersAsAdmin(em: EntityManager, ctx: RequestContext): Promise<Membership[]> {
  const workspaceId = workspaceOf(ctx);
  const members = await em.find(
    Membership,
    { workspace: workspaceId },
    { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['user'], orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  );
  const caller = ctx.actor.type === 'user' ? members.find((m) => m.user.id === ctx.actor.id.toLowerCase())?.role : ctx.actor.role;
  if (caller !== 'admin') throw new FlowstackError('forbidden', 'this needs the admin role');
  return members;
}

export const adminsIn = (members: Membership[]): number => members.filter((m) => m.role === 'admin').length;
