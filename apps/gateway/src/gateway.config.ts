import { randomBytes } from 'node:crypto';
import { Limits } from '@flowstack/contracts';
import { apiKeyPepper } from '@flowstack/messaging';
import { parseCorsOrigins } from './http/cors';
import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

export interface GatewayConfig extends BaseConfig {
  port: number;
  host: string;
  /**
   * Largest JSON body accepted, in bytes (`GATEWAY_BODY_LIMIT`, default `Limits.requestBodyBytes`).
   * A body travels inside one NATS request, so it may be lowered but never raised above what the
   * bus carries: start-up refuses a larger value.
   */
  bodyLimitBytes: number;
  /** How often every WebSocket is pinged; a peer that has not answered the previous ping is cut. */
  wsPingMs: number;
  /**
   * How long a WebSocket opened without a token may take to send its auth message before it is
   * closed with 4401 (`GATEWAY_WS_AUTH_TIMEOUT_MS`, default 5 s).
   */
  wsAuthTimeoutMs: number;
  /**
   * How often open WebSockets are checked against the auth feed (`GATEWAY_WS_SESSION_CHECK_MS`,
   * default 1 s): a revoked or expired token closes its sockets with 4401, a removed membership
   * with 4404, a role below the socket's policy row with 4403.
   */
  wsSessionCheckMs: number;
  /** Most WebSockets (open or being authenticated) one gateway process holds; more get HTTP 503. */
  maxSockets: number;
  /** Bytes a WebSocket may have queued unsent before the gateway closes it (1013) as too slow. */
  wsMaxBufferedBytes: number;
  /** Browser origins allowed to call the API (`GATEWAY_CORS_ORIGINS`, comma-separated); none by default. */
  corsOrigins: string[];
  /**
   * The HS256 key identity signs tokens with (`JWT_SECRET`, the same value as identity's): the
   * gateway verifies every token itself. Required (32+ characters) with `NODE_ENV=production`;
   * elsewhere, when unset, a random key of this process, with which every token is refused.
   */
  jwtSecret: string;
  /** `ephemeral` when `JWT_SECRET` was unset outside production (see `jwtSecret`). */
  jwtSecretSource: 'env' | 'ephemeral';
  /** The key of API key hashes: identity's (`API_KEY_PEPPER`, else derived from `JWT_SECRET`). */
  apiKeyPepper: Buffer;
  /** Per-key limit: `GATEWAY_API_KEY_RATE_POINTS` requests per `GATEWAY_API_KEY_RATE_WINDOW_S` (default 600 per 60 s). */
  apiKeyRate: { points: number; windowSeconds: number };
  /**
   * Per-workspace limit on execution starts through the API: `GATEWAY_START_RATE_POINTS` starts per
   * `GATEWAY_START_RATE_WINDOW_S` (default 600 per 60 s), shared by every gateway replica. `points`
   * 0 turns it off (each counted start costs two KV round trips; a load test of one workspace
   * has no use for them).
   */
  startRate: { points: number; windowSeconds: number };
  /** How often last-used times of API keys are sent to identity (`GATEWAY_API_KEY_USAGE_FLUSH_MS`, default 30 s). */
  apiKeyUsageFlushMs: number;
  /**
   * Where the OIDC callback sends a browser after login, with `#token=<jwt>` appended
   * (`OIDC_POST_LOGIN_URL`, default `/`: the web app this gateway serves).
   */
  oidcPostLoginUrl: string;
}

const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Reads the gateway's settings; throws naming the variable when one is malformed or unsafe. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const bodyLimitBytes = intFromEnv('GATEWAY_BODY_LIMIT', Limits.requestBodyBytes, env);
  if (bodyLimitBytes < 1 || bodyLimitBytes > Limits.requestBodyBytes) {
    throw new Error(
      `GATEWAY_BODY_LIMIT must be between 1 and ${Limits.requestBodyBytes} bytes (a body must fit in one ` +
        `${Limits.busMessageBytes}-byte message on the bus with its envelope), got ${bodyLimitBytes}`,
    );
  }
  const positive = (name: string, fallback: number): number => {
    const value = intFromEnv(name, fallback, env);
    if (value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  const nonNegative = (name: string, fallback: number): number => {
    const value = intFromEnv(name, fallback, env);
    if (value < 0) throw new Error(`${name} must be 0 (off) or a positive integer, got ${value}`);
    return value;
  };
  const jwtSecret = env.JWT_SECRET ?? '';
  if (env.NODE_ENV === 'production' && jwtSecret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    throw new Error(
      `JWT_SECRET must be set to at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production (the same value as identity's)`,
    );
  }
  const secret = jwtSecret || randomBytes(32).toString('base64url');
  return {
    ...loadBaseConfig('gateway', env),
    port: intFromEnv('GATEWAY_PORT', 8080, env),
    host: env.GATEWAY_HOST ?? '0.0.0.0',
    bodyLimitBytes,
    wsPingMs: positive('GATEWAY_WS_PING_MS', 30_000),
    wsAuthTimeoutMs: positive('GATEWAY_WS_AUTH_TIMEOUT_MS', 5_000),
    wsSessionCheckMs: positive('GATEWAY_WS_SESSION_CHECK_MS', 1_000),
    maxSockets: positive('GATEWAY_MAX_SOCKETS', 10_000),
    wsMaxBufferedBytes: positive('GATEWAY_WS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024),
    corsOrigins: parseCorsOrigins(env.GATEWAY_CORS_ORIGINS),
    jwtSecret: secret,
    jwtSecretSource: jwtSecret ? 'env' : 'ephemeral',
    apiKeyPepper: apiKeyPepper({ API_KEY_PEPPER: env.API_KEY_PEPPER, jwtSecret: secret }),
    apiKeyRate: {
      points: positive('GATEWAY_API_KEY_RATE_POINTS', 600),
      windowSeconds: positive('GATEWAY_API_KEY_RATE_WINDOW_S', 60),
    },
    startRate: {
      points: nonNegative('GATEWAY_START_RATE_POINTS', 600),
      windowSeconds: positive('GATEWAY_START_RATE_WINDOW_S', 60),
    },
    apiKeyUsageFlushMs: positive('GATEWAY_API_KEY_USAGE_FLUSH_MS', 30_000),
    oidcPostLoginUrl: postLoginUrl(env.OIDC_POST_LOGIN_URL),
  };
}

/** A path on this gateway (`/`, `/app/`) or an absolute http(s) URL, without a fragment of its own. */
function postLoginUrl(raw: string | undefined): string {
  const value = raw?.trim() || '/';
  const absolute = /^https?:\/\//.test(value);
  if ((!absolute && !(value.startsWith('/') && !value.startsWith('//'))) || value.includes('#')) {
    throw new Error(`OIDC_POST_LOGIN_URL must be a path starting with / or an http(s) URL, without #, got "${value}"`);
  }
  if (absolute) new URL(value);
  return value;
}

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
