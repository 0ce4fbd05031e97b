import { assertSchemaName, runLockedDdl } from '@flowstack/service-kit';
import type { Pool } from 'pg';

/** The orchestrator's own tables live here (the event store has its own schema). */
export const ORCHESTRATOR_SCHEMA = 'orchestrator';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- NULL when the message named no workspace it could be trusted for (a malformed message):
  -- such a letter shows in the logs only, never on a workspace's endpoint.
  workspace_id text,
  source text NOT NULL,
  stream text NOT NULL,
  consumer text NOT NULL,
  stream_seq bigint NOT NULL,
  subject text NOT NULL,
  execution_id text,
  task_id text,
  node_id text,
  error text NOT NULL,
  deliveries integer NOT NULL,
  payload_bytes integer NOT NULL,
  payload_prefix text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  -- The last delivery and the max-deliveries advisory may both park one message: once is enough.
  CONSTRAINT dead_letters_message_unique UNIQUE (stream, consumer, stream_seq)
);

DO $$ BEGIN
  IF to_regclass('${s}.dead_letters_workspace_idx') IS NULL THEN
    CREATE INDEX dead_letters_workspace_idx ON ${s}.dead_letters (workspace_id, id DESC);
  END IF;
END $$;
`;

/**
 * Creates or completes the orchestrator's schema (today: the dead-letter table), the same way the
 * event store is migrated: idempotent DDL in one transaction under an advisory lock, so replicas
 * starting at once apply it one after the other. Throws on a database error (rolled back; a retry
 * is safe).
 */
export async function migrateOrchestratorSchema(pool: Pool, schema: string = ORCHESTRATOR_SCHEMA): Promise<void> {
  assertSchemaName(schema);
  await runLockedDdl(pool, 'flowstack-orchestrator-migration', ddl(schema));
}
