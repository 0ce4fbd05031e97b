import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { decode } from 'jsonwebtoken';
import { Rpc, type AuthResult } from '@flowstack/contracts';
import {
  authBucketName,
  authStreamName,
  ensureAuthBuckets,
  membershipKey,
  revocationKey,
  type AuthBuckets,
} from '@flowstack/messaging';
import { startIdentity, type IdentityHarness } from './identity.harness';

let h: IdentityHarness;
let buckets: AuthBuckets;

beforeAll(async () => {
  h = await startIdentity({ JWT_TTL: '2h' });
  buckets = await ensureAuthBuckets(h.nc, h.ns);
});
afterAll(async () => {
  await h?.close();
});

const register = () =>
  h.call<AuthResult>(Rpc.identity.register, {
    email: `feed-${randomUUID().slice(0, 8)}@example.com`,
    password: 'correct horse battery',
  });

/**
 * Identity's side of the auth feed: what the gateways read to authenticate on their own. Each
 * write is on the bus before identity answers, and a restart reconciles the buckets with Postgres.
 */
describe('auth feed', () => {
  it('has the membership of a new user on the feed when register answers', async () => {
    const { user, workspace } = await register();
    const entry = await buckets.memberships.get(membershipKey(user.id, workspace!.id));
    expect(entry?.json()).toEqual({ role: 'admin' });
  });

  it('has the revoked jti, with the token expiry, on the feed when logout answers; revocations live as long as a token', async () => {
    const { token } = await register();
    const { jti, exp } = decode(token) as { jti: string; exp: number };
    expect(await buckets.revocations.get(revocationKey(jti))).toBeNull();
    expect(await h.call(Rpc.identity.logout, { token })).toEqual({ revoked: true });
    expect((await buckets.revocations.get(revocationKey(jti)))?.json()).toEqual({ exp });

    // The bucket forgets a revocation only after a token's whole life (JWT_TTL 2h), plus a margin.
    const info = await (await jetstreamManager(h.nc)).streams.info(authStreamName(h.ns, 'REVOCATIONS'));
    expect(info.config.max_age).toBeGreaterThanOrEqual(2 * 3600 * 1e9);
    expect(info.config.max_age).toBeLessThan(3 * 3600 * 1e9);
  });

  it('reconciles at start-up: writes missing memberships and revocations and changed roles, never brings back a removed one', async () => {
    const missing = await register();
    const changed = await register();
    const removed = await register();
    const lost = await register();
    const { jti: lostJti } = decode(lost.token) as { jti: string };
    await h.call(Rpc.identity.logout, { token: lost.token });
    // Rows the feed does not have (written before the feed existed, or lost to a crash after
    // commit): their keys' messages are dropped from the streams, as if never written.
    const jsm = await jetstreamManager(h.nc);
    const forget = (bucket: 'MEMBERSHIPS' | 'REVOCATIONS', key: string) =>
      jsm.streams.purge(authStreamName(h.ns, bucket), { filter: `$KV.${authBucketName(h.ns, bucket)}.${key}` });
    await forget('MEMBERSHIPS', membershipKey(missing.user.id, missing.workspace!.id));
    await forget('REVOCATIONS', revocationKey(lostJti));
    expect(await buckets.memberships.get(membershipKey(missing.user.id, missing.workspace!.id))).toBeNull();
    // A row whose role changed in Postgres, and a membership removed on the feed (its delete marker stays).
    await h.sql.query(`update identity.memberships set role = 'viewer' where user_id = $1`, [changed.user.id]);
    await buckets.memberships.delete(membershipKey(removed.user.id, removed.workspace!.id));

    const replica = await h.startReplica();
    try {
      expect((await buckets.memberships.get(membershipKey(missing.user.id, missing.workspace!.id)))?.json()).toEqual({
        role: 'admin',
      });
      expect((await buckets.memberships.get(membershipKey(changed.user.id, changed.workspace!.id)))?.json()).toEqual({
        role: 'viewer',
      });
      expect((await buckets.memberships.get(membershipKey(removed.user.id, removed.workspace!.id)))?.operation).toBe('DEL');
      expect((await buckets.revocations.get(revocationKey(lostJti)))?.operation).toBe('PUT');
    } finally {
      await replica.close();
    }
  });
});
