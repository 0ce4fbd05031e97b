import { intFromEnv, loadBaseConfig, boolFromEnv, type BaseConfig } from '@flowstack/service-kit';

/** Settings of the billing service, read once from the environment at start-up. */
export interface BillingConfig extends BaseConfig {
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
  /** Connections of this replica's pool (`BILLING_PG_POOL`, default 6). */
  pgPoolSize: number;
  /** Folded ledgers kept in memory, least recently used out (`BILLING_LEDGER_CACHE`, default 10000). */
  ledgerCacheSize: number;
  /** Life of a hold nobody settles, unless the request names one (`BILLING_HOLD_TTL_MS`, default 1 h). */
  holdTtlMs: number;
  /** False when `BILLING_SWEEP=false`: this replica expires no holds. */
  sweep: boolean;
  /** How often (ms) the sweep looks for ledgers with due holds (`BILLING_SWEEP_MS`, default 5000). */
  sweepMs: number;
}

/** Reads the billing settings; throws naming the variable when one is malformed. */
export function loadBillingConfig(env: NodeJS.ProcessEnv = process.env): BillingConfig {
  const sweepMs = intFromEnv('BILLING_SWEEP_MS', 5000, env);
  if (sweepMs < 10) throw new Error(`BILLING_SWEEP_MS must be at least 10, got "${env.BILLING_SWEEP_MS}"`);
  const holdTtlMs = intFromEnv('BILLING_HOLD_TTL_MS', 3_600_000, env);
  if (holdTtlMs < 1) throw new Error(`BILLING_HOLD_TTL_MS must be at least 1, got "${env.BILLING_HOLD_TTL_MS}"`);
  const pgPoolSize = intFromEnv('BILLING_PG_POOL', 6, env);
  if (pgPoolSize < 2) throw new Error(`BILLING_PG_POOL must be at least 2, got "${env.BILLING_PG_POOL}"`);
  return {
    ...loadBaseConfig('billing', env),
    runMigrations: env.MIGRATIONS !== 'skip',
    pgPoolSize,
    ledgerCacheSize: Math.max(1, intFromEnv('BILLING_LEDGER_CACHE', 10_000, env)),
    holdTtlMs,
    sweep: boolFromEnv('BILLING_SWEEP', true, env),
    sweepMs,
  };
}

export const BILLING_CONFIG = Symbol('BILLING_CONFIG');
export const EVENT_STORE = Symbol('BILLING_EVENT_STORE');
