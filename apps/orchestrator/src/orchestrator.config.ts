import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

export interface OrchestratorConfig extends BaseConfig {
  /** Results handled at once by one replica (results of one execution may conflict and retry). */
  resultConcurrency: number;
  /** How often the outbox relay looks for events a crash left unpublished. */
  relayIntervalMs: number;
  /** Executions whose folded state one replica keeps in memory (caught up from Postgres on use). */
  stateCacheSize: number;
  pgPoolSize: number;
}

export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  return {
    ...loadBaseConfig('orchestrator', env),
    resultConcurrency: intFromEnv('ORCHESTRATOR_RESULT_CONCURRENCY', 64, env),
    relayIntervalMs: intFromEnv('RELAY_INTERVAL_MS', 1_000, env),
    stateCacheSize: intFromEnv('ORCHESTRATOR_STATE_CACHE', 5_000, env),
    pgPoolSize: intFromEnv('ORCHESTRATOR_PG_POOL', 16, env),
  };
}

export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
