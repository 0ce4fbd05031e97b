import type { KV } from '@nats-io/kv';
import { RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstractType } from 'rate-limiter-flexible';

/**
 * The library's base of every store. Its typings name it as an export of the package, but its
 * index does not export it (11.4): it is loaded from its own file (the package has no `exports` map).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RateLimiterStoreAbstract = require('rate-limiter-flexible/lib/RateLimiterStoreAbstract') as typeof StoreAbstractType;

/** One counter: points used in the window and when the window ends (epoch ms; null: never). */
interface Counter {
  points: number;
  expire: number | null;
}

/**
 * A write lost to another write of the same counter is retried this often at most, after a
 * random pause that grows with each loss (up to 50 ms), so a burst on one key spreads out instead
 * of colliding again. Past that the store fails, and the limiter's insurance limiter decides.
 */
const MAX_ATTEMPTS = 40;
const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));

type StoreOptions = Omit<ConstructorParameters<typeof StoreAbstractType>[0], 'storeClient'>;

/**
 * A `rate-limiter-flexible` store on a JetStream KV bucket, so every gateway replica shares the
 * same counters over the NATS they already use (the gateway has no database). The limiter's own
 * logic (points, windows, blocking, the in-memory block) is the library's; this class only gives
 * it the three store operations, made atomic with KV compare-and-set: read the counter, write it
 * back only if nobody wrote it since (`update` with the revision read, `create` for a new key),
 * retry on a lost race.
 *
 * Cost: two NATS round trips per consumed point (a get and a conditional put, ~0.3 ms each here).
 * A key over its limit is then refused from memory by the library (`inMemoryBlockOnConsumed`).
 * Counters expire with the bucket's max age (set by the caller above the longest window).
 */
export class RateLimiterNatsKv extends RateLimiterStoreAbstract {
  private readonly kv: KV;

  constructor(kv: KV, options: StoreOptions) {
    super({ ...options, storeClient: kv, keyPrefix: options.keyPrefix ?? 'rl' });
    this.kv = kv;
  }

  /** KV keys allow `[-/_=.a-zA-Z0-9]`; the library joins its prefix with `:`. */
  private static kvKey(rlKey: string): string {
    return rlKey.replace(/[^-/_=.a-zA-Z0-9]/g, '_');
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, counter: Counter): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(this.points - counter.points, 0),
      counter.expire ? Math.max(counter.expire - Date.now(), 0) : -1,
      counter.points,
      changedPoints === counter.points,
    );
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<Counter> {
    const key = RateLimiterNatsKv.kvKey(rlKey);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const now = Date.now();
      const entry = await this.kv.get(key);
      const current = entry?.operation === 'PUT' ? entry.json<Counter>() : undefined;
      const live = current && !forceExpire && (current.expire === null || current.expire > now);
      const next: Counter = live
        ? { points: current.points + points, expire: current.expire }
        : { points, expire: msDuration > 0 ? now + msDuration : null };
      try {
        if (entry) await this.kv.update(key, JSON.stringify(next), entry.revision);
        else await this.kv.create(key, JSON.stringify(next));
        return next;
      } catch (e) {
        if (!/wrong last sequence|key exists/i.test((e as Error).message)) throw e;
        await backoff(attempt);
      }
    }
    throw new Error(`rate limit counter ${key}: too many concurrent writers`);
  }

  async _get(rlKey: string): Promise<Counter | null> {
    const entry = await this.kv.get(RateLimiterNatsKv.kvKey(rlKey));
    if (entry?.operation !== 'PUT') return null;
    const counter = entry.json<Counter>();
    return counter.expire !== null && counter.expire <= Date.now() ? null : counter;
  }

  async _delete(rlKey: string): Promise<boolean> {
    const key = RateLimiterNatsKv.kvKey(rlKey);
    const existed = (await this.kv.get(key))?.operation === 'PUT';
    await this.kv.delete(key);
    return existed;
  }
}
