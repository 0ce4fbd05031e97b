import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf } from '@flowstack/contracts';
import { randomBytes } from 'node:crypto';
import { deleteStreams } from '../streams';
import { authStreamName, ensureAuthBuckets, membershipKey } from './auth-buckets';
import { BucketMirror } from './bucket-mirror';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('auth feed buckets', () => {
  const ns = namespaceOf(`authbuckets_${randomBytes(4).toString('hex')}`);
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await deleteStreams(await jetstreamManager(nc), ns);
    await nc.close();
  });

  const maxAge = async (): Promise<number> =>
    (await (await jetstreamManager(nc)).streams.info(authStreamName(ns, 'REVOCATIONS'))).config.max_age;

  it('lets a gateway create them first and identity then bound the revocations by the token lifetime, never lowering it', async () => {
    await ensureAuthBuckets(nc, ns);
    expect(await maxAge()).toBe(0);
    await ensureAuthBuckets(nc, ns, { revocationTtlMs: 3_600_000 });
    expect(await maxAge()).toBe(3_600_000 * 1e6);
    // A replica with a shorter JWT_TTL (mid-rollout) must not cut the longer-lived tokens' revocations short.
    await ensureAuthBuckets(nc, ns, { revocationTtlMs: 60_000 });
    expect(await maxAge()).toBe(3_600_000 * 1e6);
    await ensureAuthBuckets(nc, ns, { revocationTtlMs: 7_200_000 });
    expect(await maxAge()).toBe(7_200_000 * 1e6);
  });

  it('mirrors a bucket: current values at start, then changes, and a catch-up barrier for a write just made', async () => {
    const { memberships } = await ensureAuthBuckets(nc, ns);
    await memberships.put(membershipKey('u1', 'w1'), '{"role":"viewer"}');
    await memberships.put(membershipKey('u1', 'w2'), '{"role":"admin"}');
    await memberships.delete(membershipKey('u1', 'w2'));
    const seen = new Map<string, string>();
    const mirror = new BucketMirror(memberships, 'memberships', {
      put: (key, entry) => seen.set(key, entry.string()),
      delete: (key) => seen.delete(key),
      reset: () => seen.clear(),
    });
    await mirror.start();
    expect(mirror.loaded).toBe(true);
    expect([...seen]).toEqual([['u1.w1', '{"role":"viewer"}']]);

    await memberships.put(membershipKey('u2', 'w1'), '{"role":"editor"}');
    // No waiting loop: the barrier itself makes the write just acknowledged visible here.
    expect(await mirror.caughtUp(1000)).toBe(true);
    expect(seen.get('u2.w1')).toBe('{"role":"editor"}');
    await mirror.stop();
  });
});
