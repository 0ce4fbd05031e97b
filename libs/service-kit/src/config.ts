/**
 * Settings every service reads from the environment. Service-specific settings (JWT secret, HTTP
 * port, ...) are read by that service; this holds only what all of them share.
 */
export interface BaseConfig {
  serviceName: string;
  databaseUrl: string;
  natsUrl: string;
  /** Subject and stream namespace (`FLOWSTACK_NS`); empty in production. */
  namespace: string;
  logFormat: 'pretty' | 'json';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/flowstack';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export function loadBaseConfig(serviceName: string, env: NodeJS.ProcessEnv = process.env): BaseConfig {
  return {
    serviceName,
    databaseUrl: env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    natsUrl: env.NATS_URL ?? DEFAULT_NATS_URL,
    namespace: env.FLOWSTACK_NS ?? '',
    logFormat: env.LOG_FORMAT === 'json' ? 'json' : 'pretty',
    logLevel: (env.LOG_LEVEL as BaseConfig['logLevel']) ?? 'log',
  };
}

/** Reads a positive integer setting, failing start-up with the variable's name when malformed. */
export function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** Reads a boolean setting (`true`/`1`/`yes`). */
export const boolFromEnv = (name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['true', '1', 'yes', 'on'].includes(raw.toLowerCase());
};
