import { START_BATCH_MAX } from '@flowstack/contracts';
import { boolFromEnv, intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';
import { keyringFromEnv, type Keyring } from '@flowstack/vault';

/** Settings of the scheduler service, read once from the environment at start-up. */
export interface SchedulerConfig extends BaseConfig {
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
  /** False when `SCHEDULER_FIRE=false`: this replica answers the API but fires nothing. */
  fire: boolean;
  /**
   * How often (ms) the loop looks for schedules that other replicas created or changed
   * (`SCHEDULER_POLL_MS`, default 1000); it also wakes at the earliest due fire it knows of.
   */
  pollMs: number;
  /**
   * Due schedules one claim transaction takes (`SCHEDULER_BATCH`, default 1000, the most one
   * start request carries): 1,000 fires due together go to the orchestrator as one request.
   */
  batchSize: number;
  /**
   * Claim transactions one replica runs at once (`SCHEDULER_PARALLEL_CLAIMS`, default 4, 1..16):
   * a round starts with one claim and adds another each time a claim comes back full, so fewer
   * due schedules than one batch are never split. Each holds a pooled connection while its runs
   * start; the pool has this many plus three.
   */
  parallelClaims: number;
  /** How late (ms) a slot may fire and still count as on time, not missed (`SCHEDULER_GRACE_MS`, default 60000). */
  graceMs: number;
  /** The master key that seals webhook secrets and notification URLs (`FLOWSTACK_MASTER_KEY`); unset outside production. */
  keyring: Keyring | undefined;
  /** Notifications may call private, loopback and link-local addresses (`TOOL_HTTP_ALLOW_PRIVATE`, the http tools' switch). */
  allowPrivateNetwork: boolean;
  /** The first retry delay of a failed notification (`SCHEDULER_NOTIFY_RETRY_MS`, default 1000), x4 each time. */
  notifyRetryMs: number;
  /** Calls one webhook accepts per minute, shared by every replica (`SCHEDULER_HOOK_RATE_PER_MIN`, default 60). */
  hookRatePerMinute: number;
}

/** Reads the scheduler settings; throws naming the variable when a number is malformed. */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  const pollMs = intFromEnv('SCHEDULER_POLL_MS', 1000, env);
  const batchSize = intFromEnv('SCHEDULER_BATCH', START_BATCH_MAX, env);
  if (pollMs < 10) throw new Error(`SCHEDULER_POLL_MS must be at least 10, got "${env.SCHEDULER_POLL_MS}"`);
  if (batchSize < 1) throw new Error(`SCHEDULER_BATCH must be at least 1, got "${env.SCHEDULER_BATCH}"`);
  const parallelClaims = intFromEnv('SCHEDULER_PARALLEL_CLAIMS', 4, env);
  if (parallelClaims < 1 || parallelClaims > 16) {
    throw new Error(`SCHEDULER_PARALLEL_CLAIMS must be 1 to 16, got "${env.SCHEDULER_PARALLEL_CLAIMS}"`);
  }
  return {
    ...loadBaseConfig('scheduler', env),
    runMigrations: env.MIGRATIONS !== 'skip',
    fire: boolFromEnv('SCHEDULER_FIRE', true, env),
    pollMs,
    batchSize,
    parallelClaims,
    graceMs: intFromEnv('SCHEDULER_GRACE_MS', 60_000, env),
    keyring: env.FLOWSTACK_MASTER_KEY?.trim() || env.NODE_ENV === 'production' ? keyringFromEnv(env) : undefined,
    allowPrivateNetwork: boolFromEnv('TOOL_HTTP_ALLOW_PRIVATE', false, env),
    notifyRetryMs: Math.max(10, intFromEnv('SCHEDULER_NOTIFY_RETRY_MS', 1000, env)),
    hookRatePerMinute: Math.max(1, intFromEnv('SCHEDULER_HOOK_RATE_PER_MIN', 60, env)),
  };
}
