import type { Pool, PoolClient } from 'pg';
import { CheckpointedProjection, type ProjectionHandler, type StoredEvent, type WakeSource } from '@flowstack/event-store';
import { BILLING_SCHEMA } from '../database/billing.migration';
import { usageFactOf, type UsageFact } from './usage-facts';

/** Configuration of the usage projection. */
export interface UsageProjectionOptions {
  pool: Pool;
  /** The pool is the projection's own: `stop()` ends it. */
  ownsPool?: boolean;
  /** Billing's schema (rows and checkpoint). Default `billing`. */
  schema?: string;
  /** The event store's schema. Default `event_store`. */
  eventSchema?: string;
  /** Most events per transaction; a full batch is followed by the next at once. Default 500. */
  batchSize?: number;
  /** Time between polls while started. Default 200 ms. */
  intervalMs?: number;
  /** Commits that should wake the projection before its next poll. */
  wakeOn?: WakeSource;
  logger?: { error(message: string): void };
}

/** The checkpoint's name (and, hashed, the advisory lock's key). */
export const USAGE_PROJECTION = 'usage';

/**
 * The usage report's own logic: the facts of `usage-facts.ts` (runs starting and ending, nodes
 * completing with tokens or a cost), a batch in at most three statements, one per kind.
 *
 * Why not one statement per fact: the batch's transaction holds a transaction id from its first
 * write to its COMMIT, and every reader of the global log (the execution history included) waits
 * for the oldest such transaction in the cluster. A statement per fact kept it open for about
 * 100 ms a batch under load, and the history trailed by that much.
 *
 * In kind order, not log order, with the same result: starts insert once (a run's first start
 * wins either way), a node's agent is looked up after the batch's starts exist, and of several
 * ends of one run (a retried run ends again) the last in the log wins.
 */
function usageRows(s: string): ProjectionHandler<UsageFact> {
  const insertStarts = `INSERT INTO ${s}.usage_runs (execution_id, workspace_id, workflow_id, started_at, status, node_agents)
    SELECT r.execution_id, r.workspace_id, r.workflow_id, r.started_at, 'running', r.node_agents
    FROM jsonb_to_recordset($1::jsonb) AS r(execution_id text, workspace_id text, workflow_id text, started_at timestamptz, node_agents jsonb)
    ON CONFLICT (execution_id) DO NOTHING`;
  const insertNodes = `INSERT INTO ${s}.usage_nodes (event_id, execution_id, workspace_id, node_id, attempt, agent_id, model,
      input_tokens, output_tokens, cost)
    SELECT n.event_id, n.execution_id, n.workspace_id, n.node_id, n.attempt, u.node_agents->>n.node_id, n.model,
      n.input_tokens, n.output_tokens, n.cost
    FROM jsonb_to_recordset($1::jsonb) AS n(event_id text, execution_id text, workspace_id text, node_id text, attempt integer,
      model text, input_tokens bigint, output_tokens bigint, cost bigint)
    LEFT JOIN ${s}.usage_runs u ON u.execution_id = n.execution_id
    ON CONFLICT (event_id) DO NOTHING`;
  const updateEnds = `UPDATE ${s}.usage_runs AS u SET status = e.status, finished_at = e.finished_at, duration_ms = e.duration_ms
    FROM jsonb_to_recordset($1::jsonb) AS e(execution_id text, status text, finished_at timestamptz, duration_ms bigint)
    WHERE u.execution_id = e.execution_id`;
  return {
    select: (event: StoredEvent) => usageFactOf(event),
    async apply(client: PoolClient, facts: readonly UsageFact[]): Promise<void> {
      const starts: object[] = [];
      const nodes: object[] = [];
      const ends = new Map<string, object>();
      for (const f of facts) {
        if (f.kind === 'started') {
          starts.push({
            execution_id: f.executionId,
            workspace_id: f.workspaceId,
            workflow_id: f.workflowId,
            started_at: f.startedAt,
            node_agents: f.nodeAgents,
          });
        } else if (f.kind === 'node') {
          nodes.push({
            event_id: f.eventId,
            execution_id: f.executionId,
            workspace_id: f.workspaceId,
            node_id: f.nodeId,
            attempt: f.attempt,
            model: f.model,
            input_tokens: f.inputTokens,
            output_tokens: f.outputTokens,
            cost: f.cost,
          });
        } else {
          // The last end of a run in the log wins (delete first: a Map keeps first-insertion order).
          ends.delete(f.executionId);
          ends.set(f.executionId, {
            execution_id: f.executionId,
            status: f.status,
            finished_at: f.finishedAt,
            duration_ms: f.durationMs,
          });
        }
      }
      if (starts.length > 0) await client.query(insertStarts, [JSON.stringify(starts)]);
      if (nodes.length > 0) await client.query(insertNodes, [JSON.stringify(nodes)]);
      if (ends.size > 0) await client.query(updateEnds, [JSON.stringify([...ends.values()])]);
    },
    async reset(client: PoolClient): Promise<void> {
      await client.query(`TRUNCATE ${s}.usage_runs, ${s}.usage_nodes`);
    },
  };
}

/**
 * Keeps `<schema>.usage_runs` and `<schema>.usage_nodes` from the global event log, on the shared
 * `CheckpointedProjection` runner (exactly once; any number of billing replicas, one applying at a
 * time).
 */
export class UsageProjection extends CheckpointedProjection<UsageFact> {
  constructor(options: UsageProjectionOptions) {
    const schema = options.schema ?? BILLING_SCHEMA;
    super({ ...options, name: USAGE_PROJECTION, schema, intervalMs: options.intervalMs ?? 200, handler: usageRows(schema) });
  }
}
