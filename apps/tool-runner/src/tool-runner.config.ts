import { keyringFromEnv, type Keyring } from '@flowstack/vault';
import { loadPriceTable, type PriceTable } from '@flowstack/pricing';
import { boolFromEnv, intFromEnv, loadBaseConfig, type BaseConfig } from '@flowstack/service-kit';

export interface ToolRunnerConfig extends BaseConfig {
  /** Node tasks one process works on at once (JetStream delivers no more than this). */
  concurrency: number;
  /**
   * How long JetStream waits for an ack before redelivering a task to another runner. Kept short:
   * a running task sends in-progress heartbeats, so only a dead runner's tasks wait this long.
   */
  ackWaitMs: number;
  /** Deliveries of one task before JetStream gives up on it (crash loops end). */
  maxDeliver: number;
  /** Lets http tools call loopback/private/link-local addresses; off in production. */
  allowPrivateNetwork: boolean;
  /** How long shutdown waits for in-flight tasks before leaving them to redelivery. */
  drainTimeoutMs: number;
  /**
   * Opens the credentials agents use (`FLOWSTACK_MASTER_KEY`, `FLOWSTACK_MASTER_KEYS_PREVIOUS`: the
   * registry's keys). Unset: agents with a credential fail with `vault_unavailable`; malformed:
   * the runner does not start.
   */
  keyring?: Keyring;
  /** Model prices for agent_call costs (`FLOWSTACK_PRICING_JSON` / `FLOWSTACK_PRICING_FILE` over the defaults). */
  prices: PriceTable;
  mcp: McpRunnerConfig;
}

/** MCP tools: pooled client sessions and the stdio allowlist. */
export interface McpRunnerConfig {
  /**
   * `MCP_STDIO_ALLOWLIST`: the programs a stdio MCP server may be (exact `command` strings, comma
   * separated, e.g. `/usr/bin/node,/usr/local/bin/mcp-server-git`); empty: no stdio server runs.
   * A workspace's admin must also enable stdio (`PUT /api/v1/workspaces/{id}/settings {"mcp":{"stdio":true}}`).
   */
  stdioAllowlist: string[];
  /** `MCP_SESSION_IDLE_MS` (default 60000): a pooled session unused this long is closed. */
  idleMs: number;
  /** `MCP_MAX_SESSIONS` (default 200): sessions one runner keeps open at most. */
  maxSessions: number;
  /** `MCP_TOOL_LIST_TTL_MS` (default 10000): how long a session's tool list is trusted before it is listed again. */
  toolListTtlMs: number;
}

export function loadToolRunnerConfig(env: NodeJS.ProcessEnv = process.env): ToolRunnerConfig {
  return {
    ...loadBaseConfig('tool-runner', env),
    concurrency: intFromEnv('TOOL_RUNNER_CONCURRENCY', 256, env),
    ackWaitMs: intFromEnv('WORK_ACK_WAIT_MS', 15_000, env),
    maxDeliver: intFromEnv('WORK_MAX_DELIVER', 5, env),
    allowPrivateNetwork: boolFromEnv('TOOL_HTTP_ALLOW_PRIVATE', false, env),
    drainTimeoutMs: intFromEnv('TOOL_RUNNER_DRAIN_MS', 10_000, env),
    ...(env.FLOWSTACK_MASTER_KEY?.trim() ? { keyring: keyringFromEnv(env) } : {}),
    prices: loadPriceTable(env),
    mcp: {
      stdioAllowlist: (env.MCP_STDIO_ALLOWLIST ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== ''),
      idleMs: intFromEnv('MCP_SESSION_IDLE_MS', 60_000, env),
      maxSessions: intFromEnv('MCP_MAX_SESSIONS', 200, env),
      toolListTtlMs: intFromEnv('MCP_TOOL_LIST_TTL_MS', 10_000, env),
    },
  };
}

export const TOOL_RUNNER_CONFIG = Symbol('TOOL_RUNNER_CONFIG');
