import { assertSchemaName, runLockedDdl } from '@flowstack/service-kit';
import type { Pool } from 'pg';
import { projectionCheckpointsDdl } from '@flowstack/event-store';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

-- One row per execution, kept by the history projection from the global event log.
CREATE TABLE IF NOT EXISTS ${s}.execution_history (
  id text PRIMARY KEY,
  workspace_id text NOT NULL,
  workflow_id text NOT NULL,
  workflow_version integer NOT NULL,
  status text NOT NULL,
  trigger_type text NOT NULL,
  trigger_by text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  duration_ms bigint,
  total_cost bigint NOT NULL DEFAULT 0,
  error_code text,
  parent_id text,
  deleted_at timestamptz,
  deleted_by text,
  -- When the projection last changed the row (its clock): minus the event's recorded_at, the lag.
  projected_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

DO $$ BEGIN
  IF to_regclass('${s}.execution_history_list_idx') IS NULL THEN
    CREATE INDEX execution_history_list_idx ON ${s}.execution_history (workspace_id, started_at DESC, id DESC)
      WHERE deleted_at IS NULL;
  END IF;
  IF to_regclass('${s}.execution_history_workflow_idx') IS NULL THEN
    CREATE INDEX execution_history_workflow_idx
      ON ${s}.execution_history (workspace_id, workflow_id, started_at DESC, id DESC) WHERE deleted_at IS NULL;
  END IF;
END $$;

${projectionCheckpointsDdl(s)}`;

/** Creates the history projection's tables (idempotent, under the orchestrator's migration lock). */
export async function migrateHistorySchema(pool: Pool, schema: string = ORCHESTRATOR_SCHEMA): Promise<void> {
  assertSchemaName(schema);
  await runLockedDdl(pool, 'flowstack-orchestrator-migration', ddl(schema));
}
