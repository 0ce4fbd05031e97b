import { z } from 'zod';
import { FlowstackError } from '@flowstack/contracts';

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

/**
 * Reads a non-negative integer setting, failing start-up with the variable's name when malformed
 * (inside `checkConfig`: the problem is collected and the fallback used, so every bad variable is
 * reported at once).
 */
export function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(value)) {
    return reportOrThrow(`${name} must be a non-negative integer, got "${raw}"`, fallback);
  }
  return value;
}

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

/** Reads a boolean setting (`true`/`1`/`yes`/`on` or `false`/`0`/`no`/`off`); anything else is a bad setting. */
export const boolFromEnv = (name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  return reportOrThrow(`${name} must be true or false (or 1/0, yes/no, on/off), got "${raw}"`, fallback);
};

/** Problems collected by the `checkConfig` running now, if any. */
let collecting: string[] | undefined;

function reportOrThrow<T>(problem: string, fallback: T): T {
  if (!collecting) throw new FlowstackError('validation_failed', problem);
  collecting.push(problem);
  return fallback;
}

/**
 * Runs a service's config loader so that every malformed variable is reported, not only the first:
 * the variables every service shares are checked against `baseEnvSchema` (zod), and the loader's
 * `intFromEnv`/`boolFromEnv` collect their problems instead of throwing. A check of the loader's
 * own that throws adds its message too. Throws a `ConfigurationError` listing one problem per line.
 */
export function checkConfig<T>(load: () => T, env: NodeJS.ProcessEnv = process.env): T {
  const problems = baseEnvProblems(env);
  const outer = collecting;
  collecting = problems;
  let config: T | undefined;
  try {
    config = load();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!problems.includes(message)) problems.push(message);
  } finally {
    collecting = outer;
  }
  if (problems.length) throw new ConfigurationError(problems);
  return config as T;
}

/** Start-up configuration that does not hold; `problems` has one line per bad variable. */
export class ConfigurationError extends FlowstackError {
  constructor(readonly problems: string[]) {
    super('validation_failed', problems.join('\n'));
    this.name = 'ConfigurationError';
  }
}

/**
 * `checkConfig` for a `main.ts`: on bad configuration prints one line per bad variable
 * (`orchestrator: bad setting: RESULTS_MAX_DELIVER must be ...`, then a count; a single one as
 * `orchestrator failed to start: <problem>`) and exits 1, before anything starts.
 */
export function loadConfigOrExit<T>(serviceName: string, load: () => T, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return checkConfig(load, env);
  } catch (e) {
    const problems = e instanceof ConfigurationError ? e.problems : [e instanceof Error ? e.message : String(e)];
    if (problems.length === 1) console.error(`${serviceName} failed to start: ${problems[0]}`);
    else {
      for (const problem of problems) console.error(`${serviceName}: bad setting: ${problem}`);
      console.error(`${serviceName} failed to start: ${problems.length} bad settings (see above)`);
    }
    process.exit(1);
  }
}

const port = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a port number (1-65535, or 0 for off)`)
    .refine((v) => Number(v) <= 65_535, `${name} must be a port number (1-65535, or 0 for off)`);
const positiveMs = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `${name} must be a positive number of milliseconds`)
    .refine((v) => Number(v) >= 1, `${name} must be a positive number of milliseconds`);
const nonNegative = (name: string) => z.string().trim().regex(/^\d+$/, `${name} must be a non-negative integer`);
const urlWith = (name: string, schemes: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return schemes.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `${name} must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}`,
  );

/**
 * The variables every service reads, as one zod schema (unset or empty means the default). Each
 * service's own variables are checked by its loader under `checkConfig`.
 */
export const baseEnvSchema = z.object({
  DATABASE_URL: urlWith('DATABASE_URL', ['postgres:', 'postgresql:']),
  NATS_URL: z
    .string()
    .refine(
      (v) => v.split(',').every((u) => /^(nats|tls|ws|wss):\/\/[^\s]+$/.test(u.trim()) || /^[\w.-]+:\d+$/.test(u.trim())),
      'NATS_URL must be nats://host:port (several separated by commas)',
    ),
  NATS_STREAM_REPLICAS: z
    .string()
    .trim()
    .regex(/^[1-5]$/, 'NATS_STREAM_REPLICAS must be a whole number from 1 to 5 (3 on a three-node JetStream cluster)'),
  FLOWSTACK_NS: z.string().regex(/^[A-Za-z0-9_-]*$/, 'FLOWSTACK_NS may hold only letters, digits, - and _'),
  LOG_FORMAT: z.enum(['pretty', 'json'], { message: 'LOG_FORMAT must be pretty or json' }),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose'], {
    message: 'LOG_LEVEL must be error, warn, log, debug or verbose',
  }),
  METRICS_PORT: port('METRICS_PORT'),
  SHUTDOWN_TIMEOUT_MS: positiveMs('SHUTDOWN_TIMEOUT_MS'),
  PROCESS_MAX_UNCAUGHT: nonNegative('PROCESS_MAX_UNCAUGHT'),
  PROCESS_UNCAUGHT_WINDOW_MS: nonNegative('PROCESS_UNCAUGHT_WINDOW_MS'),
});

/** One line per bad base variable: the rule, and what was given (never for URLs, which may hold a password). */
function baseEnvProblems(env: NodeJS.ProcessEnv): string[] {
  const given = Object.fromEntries(
    Object.keys(baseEnvSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const result = baseEnvSchema.partial().safeParse(given);
  if (result.success) return [];
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const issue of result.error.issues) {
    const name = String(issue.path[0]);
    if (seen.has(name)) continue;
    seen.add(name);
    const shown = name.endsWith('_URL') ? '' : `, got "${given[name]}"`;
    lines.push(`${issue.message}${shown}`);
  }
  return lines;
}
