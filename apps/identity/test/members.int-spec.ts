import { randomUUID } from 'node:crypto';
import {
  Rpc,
  type AuthResult,
  type CreatedInvitationView,
  type MemberView,
  type Role,
  type WorkspaceView,
} from '@flowstack/contracts';
import { ensureAuthBuckets, membershipKey, type AuthBuckets } from '@flowstack/messaging';
import { asUser, startIdentity, type IdentityHarness } from './identity.harness';

let h: IdentityHarness;
let buckets: AuthBuckets;

beforeAll(async () => {
  h = await startIdentity();
  buckets = await ensureAuthBuckets(h.nc, h.ns);
});
afterAll(async () => {
  await h?.close();
});

interface Person {
  id: string;
  email: string;
  own: string;
}
const person = async (label: string): Promise<Person> => {
  const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
  const r = await h.call<AuthResult>(Rpc.identity.register, { email, password: 'correct horse battery' });
  return { id: r.user.id, email, own: r.workspace!.id };
};
const as = (p: Person, workspaceId: string, role: Role = 'admin') => asUser(p.id, workspaceId, role);
const invite = (admin: Person, workspaceId: string, email: string, role: Role) =>
  h.call<CreatedInvitationView>(Rpc.workspaces.invitationCreate, { email, role }, as(admin, workspaceId));
const accept = (p: Person, token: string) => h.call<WorkspaceView>(Rpc.workspaces.invitationAccept, { token }, as(p, p.own));
const roleOnFeed = async (userId: string, workspaceId: string): Promise<Role | null> => {
  const entry = await buckets.memberships.get(membershipKey(userId, workspaceId));
  return entry?.operation === 'PUT' ? entry.json<{ role: Role }>().role : null;
};
const eventTypes = async (workspaceId: string): Promise<string[]> =>
  (
    await h.sql.query<{ type: string }>('select type from event_store.events where stream_id = $1 order by stream_position', [
      `workspace-${workspaceId}`,
    ])
  ).rows.map((r) => r.type);

/** Membership rules, with identity's real Postgres and the auth feed it writes. */
describe('workspaces, invitations and members', () => {
  it('creates a workspace with the caller as admin, lists it among theirs, renames it, each an audit event', async () => {
    const ada = await person('ada');
    const created = await h.call<WorkspaceView>(Rpc.workspaces.create, { name: '  Research ' }, as(ada, ada.own, 'viewer'));
    expect(created).toEqual({ id: expect.any(String), name: 'Research', role: 'admin' });
    expect(await roleOnFeed(ada.id, created.id)).toBe('admin');
    const mine = await h.call<{ items: WorkspaceView[] }>(Rpc.workspaces.listMine, {}, as(ada, ada.own));
    expect(mine.items.map((w) => w.id)).toEqual([ada.own, created.id]);
    expect(await h.call(Rpc.workspaces.rename, { name: 'Lab' }, as(ada, created.id))).toMatchObject({ name: 'Lab' });
    expect(await eventTypes(created.id)).toEqual(['WorkspaceCreated', 'MemberAdded', 'WorkspaceRenamed']);
    await expect(h.call(Rpc.workspaces.create, { name: ' ' }, as(ada, ada.own))).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'name' })],
    });
  });

  it('invites by email; the invitee accepts once with the token, joins with the role, on the feed at once', async () => {
    const ada = await person('ada');
    const bob = await person('bob');
    const inv = await invite(ada, ada.own, `  ${bob.email.toUpperCase()} `, 'editor');
    expect(inv).toMatchObject({ email: bob.email, role: 'editor', status: 'pending', token: expect.any(String) });
    const stored = await h.sql.query('select token_hash from identity.invitations where id = $1', [inv.id]);
    expect(stored.rows[0].token_hash).not.toContain(inv.token);
    const pending = await h.call<{ items: unknown[] }>(Rpc.workspaces.invitationList, {}, as(ada, ada.own));
    expect(pending.items).toEqual([expect.not.objectContaining({ token: expect.anything() })]);

    expect(await accept(bob, inv.token)).toMatchObject({ id: ada.own, role: 'editor' });
    expect(await roleOnFeed(bob.id, ada.own)).toBe('editor');
    await expect(accept(bob, inv.token)).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'token', rule: 'used' })],
    });
    const members = await h.call<{ items: MemberView[] }>(Rpc.workspaces.memberList, {}, as(bob, ada.own, 'editor'));
    expect(members.items.map((m) => [m.email, m.role])).toEqual([
      [ada.email, 'admin'],
      [bob.email, 'editor'],
    ]);
    expect(await eventTypes(ada.own)).toEqual(['WorkspaceCreated', 'MemberAdded', 'MemberInvited', 'MemberJoined']);
  });

  it('refuses an invitation to someone else (404), an expired one and a declined one (409 at token)', async () => {
    const ada = await person('ada');
    const bob = await person('bob');
    const eve = await person('eve');
    const inv = await invite(ada, ada.own, bob.email, 'viewer');
    await expect(accept(eve, inv.token)).rejects.toMatchObject({ code: 'not_found' });
    await expect(accept(bob, 'x'.repeat(43))).rejects.toMatchObject({ code: 'not_found' });
    await h.sql.query(`update identity.invitations set expires_at = now() - interval '1 second' where id = $1`, [inv.id]);
    await expect(accept(bob, inv.token)).rejects.toMatchObject({ errors: [expect.objectContaining({ rule: 'expired' })] });

    const again = await invite(ada, ada.own, bob.email, 'viewer');
    expect(await h.call(Rpc.workspaces.invitationDecline, { token: again.token }, as(bob, bob.own))).toEqual({ declined: true });
    await expect(accept(bob, again.token)).rejects.toMatchObject({ code: 'conflict', message: /already declined/ });
    expect(await roleOnFeed(bob.id, ada.own)).toBeNull();
  });

  it('supersedes a pending invitation when the email is invited again, and refuses to invite a member', async () => {
    const ada = await person('ada');
    const bob = await person('bob');
    const first = await invite(ada, ada.own, bob.email, 'viewer');
    const second = await invite(ada, ada.own, bob.email, 'editor');
    await expect(accept(bob, first.token)).rejects.toMatchObject({ message: /already revoked/ });
    await accept(bob, second.token);
    await expect(invite(ada, ada.own, bob.email, 'viewer')).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'email', rule: 'already_member' })],
    });
  });

  it('changes roles and removes members; never demotes or removes the last admin (409)', async () => {
    const ada = await person('ada');
    const bob = await person('bob');
    await accept(bob, (await invite(ada, ada.own, bob.email, 'viewer')).token);

    await expect(
      h.call(Rpc.workspaces.memberChangeRole, { userId: ada.id, role: 'editor' }, as(ada, ada.own)),
    ).rejects.toMatchObject({
      code: 'conflict',
      errors: [expect.objectContaining({ path: 'role', rule: 'last_admin' })],
    });
    await expect(h.call(Rpc.workspaces.memberRemove, { userId: ada.id }, as(ada, ada.own))).rejects.toMatchObject({
      code: 'conflict',
    });

    // Bob's role as the gateway believes it (admin) is not enough: identity checks the row.
    await expect(h.call(Rpc.workspaces.memberRemove, { userId: ada.id }, as(bob, ada.own, 'admin'))).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await h.call(Rpc.workspaces.memberChangeRole, { userId: bob.id, role: 'admin' }, as(ada, ada.own))).toMatchObject({
      role: 'admin',
    });
    expect(await roleOnFeed(bob.id, ada.own)).toBe('admin');
    // Two admins now: Ada may step down, then Bob is the last one.
    await h.call(Rpc.workspaces.memberChangeRole, { userId: ada.id, role: 'viewer' }, as(ada, ada.own));
    await expect(h.call(Rpc.workspaces.memberRemove, { userId: bob.id }, as(bob, ada.own))).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(await h.call(Rpc.workspaces.memberRemove, { userId: ada.id }, as(bob, ada.own))).toEqual({ removed: true });
    expect(await roleOnFeed(ada.id, ada.own)).toBeNull();
    await expect(h.call(Rpc.workspaces.memberRemove, { userId: randomUUID() }, as(bob, ada.own))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect((await eventTypes(ada.own)).slice(-4)).toEqual(['MemberJoined', 'RoleChanged', 'RoleChanged', 'MemberRemoved']);
  });

  it('leaves exactly one admin when two admins demote each other at the same moment', async () => {
    const ada = await person('ada');
    const bob = await person('bob');
    await accept(bob, (await invite(ada, ada.own, bob.email, 'admin')).token);
    const results = await Promise.allSettled([
      h.call(Rpc.workspaces.memberChangeRole, { userId: bob.id, role: 'viewer' }, as(ada, ada.own)),
      h.call(Rpc.workspaces.memberChangeRole, { userId: ada.id, role: 'viewer' }, as(bob, ada.own)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { rows } = await h.sql.query(
      `select count(*)::int as n from identity.memberships where workspace_id = $1 and role = 'admin'`,
      [ada.own],
    );
    expect(rows[0].n).toBe(1);
  });

  it("keeps workspaces apart: another workspace's invitation cannot be withdrawn, nor its members touched", async () => {
    const ada = await person('ada');
    const mallory = await person('mallory');
    const inv = await invite(ada, ada.own, 'someone@example.com', 'viewer');
    await expect(
      h.call(Rpc.workspaces.invitationRevoke, { invitationId: inv.id }, as(mallory, mallory.own)),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(h.call(Rpc.workspaces.memberRemove, { userId: ada.id }, as(mallory, mallory.own))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await h.call(Rpc.workspaces.invitationRevoke, { invitationId: inv.id }, as(ada, ada.own))).toEqual({ revoked: true });
  });
});
