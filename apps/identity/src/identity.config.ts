import { decode, sign, type JwtPayload, type SignOptions } from 'jsonwebtoken';
import { FlowstackError } from '@flowstack/contracts';
import { apiKeyPepper } from '@flowstack/messaging';
import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';
import { resolveJwtSecret, type JwtSecretSource } from './jwt-secret.rules';
import { loadOidcConfig, type OidcConfig } from './oidc/oidc.config';
import { loadAuthThrottleConfig, type AuthThrottleConfig } from './throttle/auth-throttle.config';

/** Settings of the identity service, read once from the environment at start-up. */
export interface IdentityConfig extends BaseConfig {
  /** HS256 key of every token this service issues and verifies (`JWT_SECRET`). */
  jwtSecret: string;
  /** `ephemeral` when `JWT_SECRET` was unset in development and a random per-process key is in use. */
  jwtSecretSource: JwtSecretSource;
  /** Token lifetime in seconds, from `JWT_TTL` (jsonwebtoken's `expiresIn` format, default `7d`). */
  jwtTtlSeconds: number;
  /** bcrypt cost factor of new password hashes (`BCRYPT_COST`, default 12). */
  bcryptCost: number;
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
  /** Login and register limits (`AUTH_*`). */
  throttle: AuthThrottleConfig;
  /** The key of API key hashes (`API_KEY_PEPPER`, else derived from `JWT_SECRET`; see `apiKeyPepper`). */
  apiKeyPepper: Buffer;
  /** How long an invitation can be accepted, in seconds (`INVITATION_TTL_HOURS`, default 168: a week). */
  invitationTtlSeconds: number;
  /** OpenID Connect login (`OIDC_*`); undefined when `OIDC_ISSUER_URL` is unset. */
  oidc: OidcConfig | undefined;
}

export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');

/**
 * Reads the identity settings. Throws `FlowstackError('validation_failed')` naming the variable
 * when one is malformed, or when `JWT_SECRET` is missing where a throwaway key is not acceptable
 * (see `resolveJwtSecret`: production, or a NATS that is not on loopback without `FLOWSTACK_DEV=1`).
 */
export function loadIdentityConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  const jwt = resolveJwtSecret(env);
  const bcryptCost = intFromEnv('BCRYPT_COST', 12, env);
  if (bcryptCost < 4 || bcryptCost > 31) {
    throw new FlowstackError('validation_failed', `BCRYPT_COST must be between 4 and 31, got ${bcryptCost}`);
  }
  return {
    ...loadBaseConfig('identity', env),
    jwtSecret: jwt.secret,
    jwtSecretSource: jwt.source,
    jwtTtlSeconds: ttlSeconds(env.JWT_TTL || '7d'),
    bcryptCost,
    runMigrations: env.MIGRATIONS !== 'skip',
    throttle: loadAuthThrottleConfig(env),
    invitationTtlSeconds: invitationTtlHours(env) * 3600,
    apiKeyPepper: apiKeyPepper({ API_KEY_PEPPER: env.API_KEY_PEPPER, jwtSecret: jwt.secret }),
    oidc: loadOidcConfig(env),
  };
}

/**
 * Converts `JWT_TTL` to seconds by letting jsonwebtoken itself interpret it, so every form its
 * `expiresIn` accepts (`3600`, `90m`, `7d`, `2 days`) means exactly what it means there.
 */
function ttlSeconds(raw: string): number {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  try {
    // The cast is checked right here: jsonwebtoken throws for anything that is not a timespan.
    const probe = sign({}, 'probe', { expiresIn: value as SignOptions['expiresIn'] });
    const { exp, iat } = decode(probe) as JwtPayload;
    const seconds = (exp ?? 0) - (iat ?? 0);
    if (seconds > 0) return seconds;
  } catch {
    /* reported below */
  }
  throw new FlowstackError('validation_failed', `JWT_TTL must be a positive timespan such as 3600, 90m or 7d, got "${raw}"`);
}

function invitationTtlHours(env: NodeJS.ProcessEnv): number {
  const hours = intFromEnv('INVITATION_TTL_HOURS', 168, env);
  if (hours < 1 || hours > 24 * 90) {
    throw new FlowstackError('validation_failed', `INVITATION_TTL_HOURS must be between 1 and 2160, got ${hours}`);
  }
  return hours;
}
