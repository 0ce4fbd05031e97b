import { availableParallelism } from 'node:os';
import { FlowstackError } from '@flowstack/contracts';
import { intFromEnv } from '@flowstack/service-kit';

/**
 * Limits on login and register, shared by every replica through Postgres. All are configuration:
 * a test suite or a load test that registers many users from one address raises them.
 */
export interface AuthThrottleConfig {
  /** Login attempts (right or wrong) per client address per minute (`AUTH_LOGIN_PER_IP_PER_MINUTE`). */
  loginPerIpPerMinute: number;
  /**
   * Consecutive failed logins of one email before it is locked (`AUTH_LOGIN_FAILURES_PER_ACCOUNT`);
   * a success resets the count. Unknown emails are counted the same way, so a lock says nothing
   * about whether the account exists.
   */
  loginFailuresPerAccount: number;
  /** How long those failures are counted and, once over, how long the lock lasts (`AUTH_LOGIN_LOCKOUT_SECONDS`). */
  loginLockoutSeconds: number;
  /** Registrations per client address per hour (`AUTH_REGISTER_PER_IP_PER_HOUR`). */
  registerPerIpPerHour: number;
  /** bcrypt operations running at once in this process (`AUTH_BCRYPT_CONCURRENCY`, default: CPU count). */
  bcryptConcurrency: number;
  /** bcrypt operations waiting for a slot; beyond it `rate_limited` (`AUTH_BCRYPT_QUEUE`, default 4 per slot). */
  bcryptQueue: number;
}

/** Reads the limits; throws `FlowstackError('validation_failed')` naming a malformed variable. */
export function loadAuthThrottleConfig(env: NodeJS.ProcessEnv): AuthThrottleConfig {
  const positive = (name: string, fallback: number): number => {
    let value: number;
    try {
      value = intFromEnv(name, fallback, env);
    } catch (e) {
      throw new FlowstackError('validation_failed', (e as Error).message);
    }
    if (value < 1) throw new FlowstackError('validation_failed', `${name} must be at least 1, got ${value}`);
    return value;
  };
  const bcryptConcurrency = positive('AUTH_BCRYPT_CONCURRENCY', Math.max(1, availableParallelism()));
  return {
    loginPerIpPerMinute: positive('AUTH_LOGIN_PER_IP_PER_MINUTE', 30),
    loginFailuresPerAccount: positive('AUTH_LOGIN_FAILURES_PER_ACCOUNT', 5),
    loginLockoutSeconds: positive('AUTH_LOGIN_LOCKOUT_SECONDS', 900),
    registerPerIpPerHour: positive('AUTH_REGISTER_PER_IP_PER_HOUR', 20),
    bcryptConcurrency,
    bcryptQueue: positive('AUTH_BCRYPT_QUEUE', 4 * bcryptConcurrency),
  };
}
