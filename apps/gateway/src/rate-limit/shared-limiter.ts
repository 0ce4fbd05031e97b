import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { FlowstackError, type Namespace } from '@flowstack/contracts';
import { rateLimitBucketName } from '@flowstack/messaging';
import { RateLimiterNatsKv } from './nats-kv-rate-limiter';

/** `points` calls per `windowSeconds` for each key of one limiter. */
export interface RateLimit {
  points: number;
  windowSeconds: number;
}

/**
 * The KV bucket every gateway replica counts in (one per namespace; every limiter of the gateway
 * shares it under its own key prefix). Counters outlive their window and then go away by themselves.
 */
async function sharedBucket(nc: NatsConnection, ns: Namespace, longestWindowSeconds: number) {
  return new Kvm(nc).create(rateLimitBucketName(ns), {
    history: 1,
    ttl: Math.max(longestWindowSeconds * 2, 60) * 1000,
    description: 'Flowstack rate-limit counters shared by the gateways',
  });
}

/**
 * A limiter whose counters all gateway replicas share (a key gets its limit once, not once per
 * replica). Should NATS fail to answer, the library's insurance limiter counts in this process.
 */
export async function createSharedLimiter(
  nc: NatsConnection,
  ns: Namespace,
  keyPrefix: string,
  limit: RateLimit,
): Promise<RateLimiterNatsKv> {
  const kv = await sharedBucket(nc, ns, limit.windowSeconds);
  return new RateLimiterNatsKv(kv, {
    keyPrefix,
    points: limit.points,
    duration: limit.windowSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: limit.points, duration: limit.windowSeconds }),
  });
}

/**
 * Counts one call of `key`; over the limit throws `rate_limited` (429) with `Retry-After` = the
 * seconds until the window frees a point, and `what` in the message.
 */
export async function consumeOrRefuse(limiter: RateLimiterNatsKv | undefined, key: string, what: string): Promise<void> {
  if (!limiter) throw new FlowstackError('unavailable', 'the rate limiter is starting', undefined, 1);
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    throw new FlowstackError('rate_limited', what, undefined, Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
  }
}
