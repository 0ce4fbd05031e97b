import type { Pool, PoolClient } from 'pg';
import { CheckpointedProjection, type ProjectionHandler, type StoredEvent, type WakeSource } from '@flowstack/event-store';
import { BILLING_SCHEMA } from '../database/billing.migration';
import { usageFactOf, type UsageFact } from './usage-facts';

/** Configuration of the usage projection. */
export interface UsageProjectionOptions {
  pool: Pool;
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
 * completing with tokens or a cost), each applied with one statement.
 */
function usageRows(s: string): ProjectionHandler<UsageFact> {
  return {
    select: (event: StoredEvent) => usageFactOf(event),
    async apply(client: PoolClient, facts: readonly UsageFact[]): Promise<void> {
      for (const fact of facts) await applyFact(client, s, fact);
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

async function applyFact(client: PoolClient, s: string, fact: UsageFact): Promise<void> {
  switch (fact.kind) {
    case 'started':
      await client.query(
        `INSERT INTO ${s}.usage_runs (execution_id, workspace_id, workflow_id, started_at, status, node_agents)
         VALUES ($1, $2, $3, $4, 'running', $5::jsonb) ON CONFLICT (execution_id) DO NOTHING`,
        [fact.executionId, fact.workspaceId, fact.workflowId, fact.startedAt, JSON.stringify(fact.nodeAgents)],
      );
      return;
    case 'node':
      await client.query(
        `INSERT INTO ${s}.usage_nodes (event_id, execution_id, workspace_id, node_id, attempt, agent_id, model,
           input_tokens, output_tokens, cost)
         VALUES ($1, $2, $3, $4, $5,
           (SELECT r.node_agents->>$4 FROM ${s}.usage_runs r WHERE r.execution_id = $2), $6, $7, $8, $9)
         ON CONFLICT (event_id) DO NOTHING`,
        [
          fact.eventId,
          fact.executionId,
          fact.workspaceId,
          fact.nodeId,
          fact.attempt,
          fact.model,
          fact.inputTokens,
          fact.outputTokens,
          fact.cost,
        ],
      );
      return;
    case 'ended':
      await client.query(`UPDATE ${s}.usage_runs SET status = $2, finished_at = $3, duration_ms = $4 WHERE execution_id = $1`, [
        fact.executionId,
        fact.status,
        fact.finishedAt,
        fact.durationMs,
      ]);
      return;
  }
}
