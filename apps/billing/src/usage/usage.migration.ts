import { assertSchemaName, runLockedDdl } from '@flowstack/service-kit';
import type { Pool } from 'pg';
import { projectionCheckpointsDdl } from '@flowstack/event-store';
import { BILLING_SCHEMA } from '../database/billing.migration';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

-- The usage projection, kept from the global event log: one row per execution ...
CREATE TABLE IF NOT EXISTS ${s}.usage_runs (
  execution_id text PRIMARY KEY,
  workspace_id text NOT NULL,
  workflow_id text NOT NULL,
  started_at timestamptz NOT NULL,
  status text NOT NULL,
  finished_at timestamptz,
  duration_ms bigint,
  -- The agent_call nodes of the pinned graph: { "<nodeId>": "<agentId>" }.
  node_agents jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- ... and one per NodeCompleted that used tokens or cost credits.
CREATE TABLE IF NOT EXISTS ${s}.usage_nodes (
  event_id text PRIMARY KEY,
  execution_id text NOT NULL,
  workspace_id text NOT NULL,
  node_id text NOT NULL,
  attempt integer NOT NULL,
  agent_id text,
  model text,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cost bigint NOT NULL DEFAULT 0
);

DO $$ BEGIN
  IF to_regclass('${s}.usage_runs_period_idx') IS NULL THEN
    CREATE INDEX usage_runs_period_idx ON ${s}.usage_runs (workspace_id, started_at);
  END IF;
  IF to_regclass('${s}.usage_nodes_execution_idx') IS NULL THEN
    CREATE INDEX usage_nodes_execution_idx ON ${s}.usage_nodes (execution_id);
  END IF;
END $$;

${projectionCheckpointsDdl(s)}`;

/** Creates the usage projection's tables (idempotent, under billing's migration lock). */
export async function migrateUsageSchema(pool: Pool, schema: string = BILLING_SCHEMA): Promise<void> {
  assertSchemaName(schema);
  await runLockedDdl(pool, 'flowstack-billing-migration', ddl(schema));
}
