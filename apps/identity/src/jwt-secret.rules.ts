import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { FlowstackError } from '@flowstack/contracts';
import { DEFAULT_NATS_URL } from '@flowstack/service-kit';

const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Where the HS256 key comes from: `JWT_SECRET`, or random bytes made for this process only. */
export type JwtSecretSource = 'env' | 'ephemeral';

export interface ResolvedJwtSecret {
  secret: string;
  source: JwtSecretSource;
}

/**
 * Decides the token key at start-up. There is no built-in key: a known one would let anyone who
 * reads the source sign tokens that read real data.
 *
 * - `JWT_SECRET` set: used (at least 32 characters when `NODE_ENV=production`).
 * - unset with `NODE_ENV=production`: refused.
 * - unset elsewhere: allowed only for development, i.e. with `FLOWSTACK_DEV=1` or when every NATS
 *   server in `NATS_URL` is on loopback (nobody else can reach the bus, hence the service); the
 *   key is then random per process, so tokens end with a restart and replicas do not share them.
 *   Any other case is refused, naming what to set.
 *
 * Throws `FlowstackError('validation_failed')`; not retryable without changing the environment.
 */
export function resolveJwtSecret(env: NodeJS.ProcessEnv): ResolvedJwtSecret {
  const secret = env.JWT_SECRET ?? '';
  if (env.NODE_ENV === 'production') {
    if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
      throw new FlowstackError(
        'validation_failed',
        `JWT_SECRET must be set to at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production`,
      );
    }
    return { secret, source: 'env' };
  }
  if (secret) return { secret, source: 'env' };
  const natsUrl = env.NATS_URL ?? DEFAULT_NATS_URL;
  if (env.FLOWSTACK_DEV === '1' || isLoopbackNatsUrl(natsUrl)) {
    return { secret: randomBytes(32).toString('base64url'), source: 'ephemeral' };
  }
  throw new FlowstackError(
    'validation_failed',
    `JWT_SECRET is not set and NATS_URL (${redactUrl(natsUrl)}) is not on loopback: set JWT_SECRET to a random ` +
      'string of 32+ characters (e.g. `openssl rand -base64 48`), or FLOWSTACK_DEV=1 for a throwaway development key',
  );
}

/** True when every server of a (comma-separated) `NATS_URL` is a loopback address or `localhost`. */
export function isLoopbackNatsUrl(natsUrl: string): boolean {
  const servers = natsUrl
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return servers.length > 0 && servers.every((server) => isLoopbackHost(hostOf(server)));
}

function hostOf(server: string): string | undefined {
  try {
    // nats.js accepts `host:port` without a scheme.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `nats://${server}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  return isIP(name) === 6 && (name === '::1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(name));
}

const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/g, '//$1:***@');
