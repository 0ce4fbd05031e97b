import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimitBucketName } from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { RateLimiterNatsKv } from './nats-kv-rate-limiter';

/**
 * The KV store under rate-limiter-flexible on the real NATS: two limiters (two gateway replicas)
 * on one bucket, hammering one key at once, admit exactly `points` calls between them.
 */
describe('RateLimiterNatsKv', () => {
  const ns = randomNamespace('ratekv');
  let nc: NatsConnection;
  let a: RateLimiterNatsKv;
  let b: RateLimiterNatsKv;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const kv = await new Kvm(nc).create(rateLimitBucketName(ns), { history: 1, ttl: 60_000 });
    a = new RateLimiterNatsKv(kv, { keyPrefix: 'k', points: 10, duration: 2 });
    b = new RateLimiterNatsKv(kv, { keyPrefix: 'k', points: 10, duration: 2 });
  });
  afterAll(async () => {
    await nc?.close();
    await cleanupNamespace(ns);
  });

  const outcome = (p: Promise<RateLimiterRes>) =>
    p.then(
      () => 'ok' as const,
      (e: unknown) => {
        if (e instanceof RateLimiterRes) return 'limited' as const;
        throw e;
      },
    );

  it('admits exactly the points across replicas under concurrency, then refuses with the time left', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome((i % 2 ? a : b).consume(key))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    const refused: unknown = await a.consume(key).catch((e: unknown) => e);
    if (!(refused instanceof RateLimiterRes)) throw new Error('expected a refusal');
    expect(refused.msBeforeNext).toBeGreaterThan(0);
    expect(refused.msBeforeNext).toBeLessThanOrEqual(2000);
    expect(await b.get(key)).toMatchObject({ remainingPoints: 0 });
  });

  it('starts a new window once the old one is over, and forgets a deleted key', async () => {
    const key = randomUUID();
    for (let i = 0; i < 10; i++) await a.consume(key);
    await expect(outcome(b.consume(key))).resolves.toBe('limited');
    // The 2 s window ends: the counter reads as gone.
    await waitFor(async () => (await a.get(key)) === null, 'the window to end', 3000, 50);
    await expect(outcome(b.consume(key))).resolves.toBe('ok');
    expect(await a.delete(key)).toBe(true);
    expect(await b.get(key)).toBeNull();
  });
});
