import { loadPriceTable, type PriceTable } from '@flowstack/pricing';
import { intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';
import { loadToolPrices, type ToolPrices } from './billing/tool-prices';

export interface OrchestratorConfig extends BaseConfig {
  /** Results handled at once by one replica (results of one execution may conflict and retry). */
  resultConcurrency: number;
  /** How often the outbox relay looks for events a crash left unpublished. */
  relayIntervalMs: number;
  /** Executions whose folded state one replica keeps in memory (caught up from Postgres on use). */
  stateCacheSize: number;
  pgPoolSize: number;
  /** Deliveries of one result before it is parked as a dead letter and its node failed. */
  resultsMaxDeliver: number;
  /** Delay before the second delivery of a result that failed; x4 per delivery, at most 30 s. */
  resultsRetryBackoffMs: number;
  /**
   * How long JetStream waits for the ack of a result handed to an orchestrator before delivering it
   * again (a replica that died while handling it): each such delivery counts toward `resultsMaxDeliver`.
   */
  resultsAckWaitMs: number;
  /** Runs in a row an event may fail to publish before the relay parks it as a dead letter. */
  relayMaxAttempts: number;
  /** CPU-time budget of one inline expression (transform, condition, output template), ms. */
  expressionTimeoutMs: number;
  /** Total expression time one execution may spend over all its inline nodes, ms. */
  executionExpressionBudgetMs: number;
  /**
   * Bytes of node outputs (inline or stored out of band) one execution may produce in all; the
   * completion that would pass it fails its node with `execution_memory_budget_exceeded`.
   */
  executionValueBudgetBytes: number;
  /** Worker processes of the expression sandbox (expressions that may run long). */
  expressionWorkers: number;
  /** Heap cap of one sandbox worker, MB. */
  expressionWorkerMemoryMb: number;
  /** Compiled input schemas kept (one Ajv per workspace, workflow and version). */
  schemaCacheSize: number;
  /**
   * How often the timer service looks for due durable timers besides its wake-up for the nearest
   * one (timers another replica recorded, or a dead replica left claimed), ms.
   */
  timerPollIntervalMs: number;
  /** How long a replica holds a timer it claimed before another may fire it (it died meanwhile), ms. */
  timerLeaseMs: number;
  /** Due timers claimed per query. */
  timerBatchSize: number;
  /** How often the history projection polls the global log for what no wake announced (other replicas' appends), ms. */
  historyPollIntervalMs: number;
  /** Events the history projection applies per transaction. */
  historyBatchSize: number;
  /**
   * Executions of one workspace running at once (`ORCHESTRATOR_WORKSPACE_MAX_RUNNING`, default
   * 0: no limit; see DEFAULT_WORKSPACE_MAX_RUNNING). A start over it is queued (status `pending`, with its place) and starts
   * when one of the workspace's runs ends, oldest first.
   */
  workspaceMaxRunning: number;
  /**
   * Node tasks of one workspace in flight at once (`ORCHESTRATOR_WORKSPACE_MAX_TASKS`, default
   * 0: no limit): tasks past it wait, in order, until results come back.
   */
  workspaceMaxTasks: number;
  /** How often each replica promotes queues and checks slots a crash may have left, ms. */
  admissionSweepIntervalMs: number;
  /** LLM prices (`FLOWSTACK_PRICING_JSON` / `_FILE` over the defaults): an agent node's hold. */
  prices: PriceTable;
  /** Tool prices per kind and per tool id (`TOOL_PRICES_JSON`); none by default. */
  toolPrices: ToolPrices;
}

/** `EXECUTION_VALUE_BUDGET_BYTES` when unset: 256 MiB, sixteen of the largest single values. */
export const DEFAULT_EXECUTION_VALUE_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * `ORCHESTRATOR_WORKSPACE_MAX_RUNNING` when unset: off. Each start then costs an admission
 * transaction under the workspace's lock, which cut W2 (one workspace, 200 in flight) from 350 to
 * 274 executions/s on this machine; a deployment that hosts many workspaces turns it on (README,
 * Fairness).
 */
export const DEFAULT_WORKSPACE_MAX_RUNNING = 0;

/** `ORCHESTRATOR_WORKSPACE_MAX_TASKS` when unset: off (each remote task then costs a gate row; 274 -> 261 in W2). */
export const DEFAULT_WORKSPACE_MAX_TASKS = 0;

export function loadOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  return {
    ...loadBaseConfig('orchestrator', env),
    resultConcurrency: intFromEnv('ORCHESTRATOR_RESULT_CONCURRENCY', 64, env),
    relayIntervalMs: intFromEnv('RELAY_INTERVAL_MS', 1_000, env),
    stateCacheSize: intFromEnv('ORCHESTRATOR_STATE_CACHE', 5_000, env),
    pgPoolSize: intFromEnv('ORCHESTRATOR_PG_POOL', 16, env),
    resultsMaxDeliver: intFromEnv('RESULTS_MAX_DELIVER', 5, env),
    resultsRetryBackoffMs: intFromEnv('RESULTS_RETRY_BACKOFF_MS', 1_000, env),
    resultsAckWaitMs: intFromEnv('RESULTS_ACK_WAIT_MS', 30_000, env),
    relayMaxAttempts: intFromEnv('RELAY_MAX_ATTEMPTS', 5, env),
    expressionTimeoutMs: intFromEnv('EXPRESSION_TIMEOUT_MS', 1_000, env),
    executionExpressionBudgetMs: intFromEnv('EXECUTION_EXPRESSION_BUDGET_MS', 10_000, env),
    executionValueBudgetBytes: intFromEnv('EXECUTION_VALUE_BUDGET_BYTES', DEFAULT_EXECUTION_VALUE_BUDGET_BYTES, env),
    expressionWorkers: intFromEnv('EXPRESSION_WORKERS', 2, env),
    expressionWorkerMemoryMb: intFromEnv('EXPRESSION_WORKER_MEMORY_MB', 256, env),
    schemaCacheSize: intFromEnv('ORCHESTRATOR_SCHEMA_CACHE', 1_000, env),
    timerPollIntervalMs: intFromEnv('TIMER_POLL_INTERVAL_MS', 1_000, env),
    timerLeaseMs: intFromEnv('TIMER_LEASE_MS', 30_000, env),
    timerBatchSize: intFromEnv('TIMER_BATCH_SIZE', 100, env),
    historyPollIntervalMs: intFromEnv('HISTORY_POLL_INTERVAL_MS', 50, env),
    historyBatchSize: intFromEnv('HISTORY_BATCH_SIZE', 500, env),
    workspaceMaxRunning: intFromEnv('ORCHESTRATOR_WORKSPACE_MAX_RUNNING', DEFAULT_WORKSPACE_MAX_RUNNING, env),
    workspaceMaxTasks: intFromEnv('ORCHESTRATOR_WORKSPACE_MAX_TASKS', DEFAULT_WORKSPACE_MAX_TASKS, env),
    admissionSweepIntervalMs: intFromEnv('ORCHESTRATOR_ADMISSION_SWEEP_MS', 1_000, env),
    prices: loadPriceTable(env),
    toolPrices: loadToolPrices(env),
  };
}

export const ORCHESTRATOR_CONFIG = Symbol('ORCHESTRATOR_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
