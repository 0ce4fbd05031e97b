import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sign } from 'jsonwebtoken';
import {
  ensureAuthBuckets,
  membershipKey,
  revocationKey,
  type AuthBuckets,
  type MembershipValue,
  type RevocationValue,
} from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import type { Role } from '@flowstack/contracts';
import { loadGatewayConfig } from '../gateway.config';
import { AuthFeed } from './auth-feed.cache';
import { PrincipalVerifier } from './principal.verifier';

const SECRET = 'principal-verifier-int-spec-secret-0123456789';
/** What ARCHITECTURE.md promises for a change to reach every replica. */
const PROPAGATION_MS = 1000;

/**
 * The gateway's side of the auth feed on the real NATS: two `AuthFeed` + `PrincipalVerifier`
 * pairs (two replicas) over buckets written exactly as identity's `AuthFeedPublisher` writes them
 * (the same key and value helpers of `@flowstack/messaging`). Role changes and removed
 * memberships, which identity has no endpoint for yet, are driven here.
 */
describe('PrincipalVerifier over the auth feed', () => {
  const ns = randomNamespace('authfeed');
  let nc: NatsConnection;
  let buckets: AuthBuckets;
  const feeds: AuthFeed[] = [];

  const replica = async (): Promise<PrincipalVerifier> => {
    const feed = new AuthFeed(nc, ns);
    await feed.onModuleInit();
    feeds.push(feed);
    return new PrincipalVerifier(loadGatewayConfig({ JWT_SECRET: SECRET }), feed);
  };
  const tokenFor = (userId: string, claims: Record<string, unknown> = {}) => {
    const jti = randomUUID();
    const iat = Math.floor(Date.now() / 1000);
    return { jti, token: sign({ sub: userId, jti, iat, exp: iat + 600, ...claims }, SECRET, { algorithm: 'HS256' }) };
  };
  const grant = (userId: string, workspaceId: string, role: Role) =>
    buckets.memberships.put(membershipKey(userId, workspaceId), JSON.stringify({ role } satisfies MembershipValue));

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    buckets = await ensureAuthBuckets(nc, ns, { revocationTtlMs: 3_600_000 });
  });
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.onApplicationShutdown()));
    await nc?.close();
    await cleanupNamespace(ns);
  });

  it('sees a role change and a removed membership on every replica within 1 s', async () => {
    const [a, b] = [await replica(), await replica()];
    const user = randomUUID();
    const workspace = randomUUID();
    const other = randomUUID();
    const { token } = tokenFor(user);
    await grant(user, workspace, 'viewer');
    for (const v of [a, b]) {
      await waitFor(async () => (await v.verify(token, workspace)).role === 'viewer', 'the grant', PROPAGATION_MS, 5);
    }

    await grant(user, workspace, 'admin');
    for (const v of [a, b]) {
      await waitFor(async () => (await v.verify(token, workspace)).role === 'admin', 'the promotion', PROPAGATION_MS, 5);
    }

    // A second workspace: naming one is now required.
    await grant(user, other, 'editor');
    for (const v of [a, b]) {
      await waitFor(
        () =>
          v.verify(token).then(
            () => false,
            (e: { code?: string }) => e.code === 'validation_failed',
          ),
        'a second membership',
        PROPAGATION_MS,
        5,
      );
      await expect(v.verify(token, other.toUpperCase())).resolves.toMatchObject({ workspaceId: other, role: 'editor' });
    }

    await buckets.memberships.delete(membershipKey(user, workspace));
    for (const v of [a, b]) {
      await waitFor(
        () =>
          v.verify(token, workspace).then(
            () => false,
            (e: { code?: string }) => e.code === 'not_found',
          ),
        'the removal',
        PROPAGATION_MS,
        5,
      );
      // The one membership left is picked when none is named.
      await expect(v.verify(token)).resolves.toEqual({
        userId: user,
        workspaceId: other,
        role: 'editor',
        jti: expect.any(String),
        expiresAt: expect.any(Number),
      });
    }
  });

  it('loads earlier revocations and memberships at start-up, and sees a new revocation within 1 s', async () => {
    const user = randomUUID();
    const workspace = randomUUID();
    await grant(user, workspace, 'editor');
    const early = tokenFor(user);
    await buckets.revocations.put(
      revocationKey(early.jti),
      JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 600 } satisfies RevocationValue),
    );

    const late = await replica();
    await expect(late.verify(early.token, workspace)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'token revoked',
    });
    const current = tokenFor(user);
    await expect(late.verify(current.token, workspace)).resolves.toMatchObject({ role: 'editor' });

    await buckets.revocations.put(revocationKey(current.jti), JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 600 }));
    await waitFor(
      () =>
        late.verify(current.token, workspace).then(
          () => false,
          (e: { message?: string }) => e.message === 'token revoked',
        ),
      'the revocation',
      PROPAGATION_MS,
      5,
    );
  });

  it('refuses what identity refuses: other algorithms and keys, expired tokens, missing claims, strangers', async () => {
    const v = await replica();
    const user = randomUUID();
    const workspace = randomUUID();
    await grant(user, workspace, 'viewer');
    await waitFor(
      async () => (await v.verify(tokenFor(user).token, workspace)).role === 'viewer',
      'the grant',
      PROPAGATION_MS,
      5,
    );
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: user, jti: randomUUID(), iat, exp: iat + 600 };
    const invalid = { code: 'unauthenticated', message: 'invalid token' };
    await expect(v.verify(sign(claims, SECRET, { algorithm: 'HS512' }), workspace)).rejects.toMatchObject(invalid);
    await expect(
      v.verify(sign(claims, 'another-secret-of-enough-length-0123456789', { algorithm: 'HS256' }), workspace),
    ).rejects.toMatchObject(invalid);
    await expect(
      v.verify(sign({ sub: user, iat, exp: iat + 600 }, SECRET, { algorithm: 'HS256' }), workspace),
    ).rejects.toMatchObject(invalid);
    await expect(
      v.verify(sign({ ...claims, sub: 'not-a-uuid' }, SECRET, { algorithm: 'HS256' }), workspace),
    ).rejects.toMatchObject(invalid);
    await expect(v.verify(`${tokenFor(user).token}x`, workspace)).rejects.toMatchObject(invalid);
    await expect(v.verify(sign({ ...claims, exp: iat - 10 }, SECRET, { algorithm: 'HS256' }), workspace)).rejects.toMatchObject({
      code: 'unauthenticated',
      message: 'token expired',
    });
    // A valid token of someone with no membership at all: the catch-up barrier, then not found.
    await expect(v.verify(tokenFor(randomUUID()).token)).rejects.toMatchObject({
      code: 'not_found',
      message: 'workspace not found',
    });
    await expect(v.verify(tokenFor(user).token, 'x'.repeat(101))).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('fails closed (unavailable) while the feed is not loaded', async () => {
    const feed = new AuthFeed(nc, ns);
    const v = new PrincipalVerifier(loadGatewayConfig({ JWT_SECRET: SECRET }), feed);
    await expect(v.verify(tokenFor(randomUUID()).token)).rejects.toMatchObject({ code: 'unavailable', retryAfter: 1 });
  });
});
