import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { FlowstackError } from '@flowstack/contracts';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { clientAddressKey } from './client-address';

export const THROTTLE_POOL = Symbol('THROTTLE_POOL');

/** The table of the counters (migration 0002); every replica reads and writes the same rows. */
const TABLE = { schemaName: 'identity', tableName: 'auth_rate_limits' } as const;

/**
 * Throttles login and register before any password is hashed, so refused attempts cost one
 * Postgres upsert instead of ~250 ms of bcrypt. Counts live in Postgres (shared by replicas);
 * if Postgres fails, each replica falls back to counting in memory rather than letting all through.
 *
 * Every refusal is `FlowstackError('rate_limited')` with `retryAfter` in seconds (429 with
 * `Retry-After` at the gateway): retry after that long, not before.
 */
@Injectable()
export class AuthThrottle implements OnApplicationShutdown {
  private readonly loginPerIp: RateLimiterAbstract;
  private readonly loginPerAccount: RateLimiterAbstract;
  private readonly registerPerIp: RateLimiterAbstract;

  constructor(
    @Inject(IDENTITY_CONFIG) config: IdentityConfig,
    @Inject(THROTTLE_POOL) private readonly pool: Pool,
  ) {
    const limits = config.throttle;
    const limiter = (keyPrefix: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract =>
      new RateLimiterPostgres({
        ...TABLE,
        storeClient: pool,
        storeType: 'pool',
        tableCreated: true,
        keyPrefix,
        points,
        duration,
        blockDuration,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration, blockDuration }),
      });
    this.loginPerIp = limiter('login-ip', limits.loginPerIpPerMinute, 60);
    // Each attempt takes a point before the password is checked, so parallel guesses count too;
    // a success deletes the key. Crossing the limit locks the key for the whole lockout.
    this.loginPerAccount = limiter(
      'login-account',
      limits.loginFailuresPerAccount,
      limits.loginLockoutSeconds,
      limits.loginLockoutSeconds,
    );
    this.registerPerIp = limiter('register-ip', limits.registerPerIpPerHour, 3600);
  }

  /** Counts a login attempt against the address and the email; throws `rate_limited` when either is over. */
  async admitLogin(clientIp: string | undefined, email: string): Promise<void> {
    await consume(this.loginPerIp, clientAddressKey(clientIp), 'too many login attempts from this address');
    await consume(this.loginPerAccount, accountKey(email), 'too many failed logins for this account');
  }

  /** The password matched: the consecutive-failure count of the email starts again. */
  async loginSucceeded(email: string): Promise<void> {
    await this.loginPerAccount.delete(accountKey(email)).catch(() => undefined);
  }

  /** The attempt was turned away before its password was checked: it was not a guess. */
  async loginNotTried(email: string): Promise<void> {
    await this.loginPerAccount.reward(accountKey(email), 1).catch(() => undefined);
  }

  /** Counts a registration against the address; throws `rate_limited` when over. */
  async admitRegister(clientIp: string | undefined): Promise<void> {
    await consume(this.registerPerIp, clientAddressKey(clientIp), 'too many registrations from this address');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** Emails stay out of the counters table (personal data) and within its 255-character keys. */
const accountKey = (email: string): string => createHash('sha256').update(email).digest('hex');

async function consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (e instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      throw new FlowstackError('rate_limited', `${what}: retry in ${seconds} s`, undefined, seconds);
    }
    throw new FlowstackError('unavailable', 'the sign-in rate limiter is unavailable, retry shortly', undefined, 1);
  }
}
