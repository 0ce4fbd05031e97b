import type { Pool } from 'pg';
import { checkedSchema, DEFAULT_SCHEMA } from './schema-name';

/** The NOLOGIN role deployments grant to services: it may read and append events, never rewrite. */
export const EVENT_WRITER_ROLE = 'flowstack_event_writer';

/** The text of the error the append-only trigger raises. */
export const APPEND_ONLY_MESSAGE = 'events are append-only';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id uuid NOT NULL CONSTRAINT events_event_id_unique UNIQUE,
  stream_id text NOT NULL,
  stream_position integer NOT NULL CHECK (stream_position > 0),
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  workspace_id text NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL DEFAULT 1,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_stream_position_unique UNIQUE (stream_id, stream_position)
);

CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
  name text PRIMARY KEY,
  transaction_id xid8 NOT NULL,
  global_position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The global log reader's order. No (workspace_id, stream_id) index: every read goes by stream id
-- (covered by the unique constraint) or by log order; add one when a query needs it, not before,
-- since every index costs each append. Created only when missing: CREATE INDEX IF NOT EXISTS would
-- still take a SHARE lock (blocking appends) on every service start.
DO $$ BEGIN
  IF to_regclass('${s}.events_log_order_idx') IS NULL THEN
    CREATE INDEX events_log_order_idx ON ${s}.events (transaction_id, global_position);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION ${s}.reject_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '${APPEND_ONLY_MESSAGE}: % on %.% is not allowed', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
    USING HINT = 'Append a compensating event instead.';
END $fn$;

-- Statement-level, so even an UPDATE or DELETE that matches no row fails loudly (a row-level
-- trigger would let it "succeed" with 0 rows and hide the bug). Created only when missing, for the
-- same lock reason as the index.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '${s}.events'::regclass AND tgname = 'events_append_only') THEN
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '${s}.events'::regclass AND tgname = 'events_no_truncate') THEN
    CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();
  END IF;
END $$;

REVOKE UPDATE, DELETE, TRUNCATE ON ${s}.events FROM PUBLIC;

-- Roles are cluster-wide while our advisory lock is per database: two databases migrating at once
-- may both try to create the role, so the loser's error is swallowed.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${EVENT_WRITER_ROLE}') THEN
    CREATE ROLE ${EVENT_WRITER_ROLE} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

GRANT USAGE ON SCHEMA ${s} TO ${EVENT_WRITER_ROLE};
GRANT SELECT, INSERT ON ${s}.events TO ${EVENT_WRITER_ROLE};
-- Relays and projections running as the writer role upsert their checkpoints.
GRANT SELECT, INSERT, UPDATE ON ${s}.checkpoints TO ${EVENT_WRITER_ROLE};
DO $$ BEGIN
  EXECUTE format('GRANT USAGE ON SEQUENCE %s TO ${EVENT_WRITER_ROLE}',
    pg_get_serial_sequence('${s}.events', 'global_position'));
END $$;
`;

/**
 * Creates or completes the event store schema; idempotent. The DDL runs in one transaction under
 * `pg_advisory_xact_lock`, so replicas starting at once apply it one after the other and the later
 * ones find nothing to do (no lock on the events table is taken when it is already in place).
 * Throws on any database error; the transaction is rolled back and a retry is safe.
 */
export async function migrateEventStore(pool: Pool, schema: string = DEFAULT_SCHEMA): Promise<void> {
  const s = checkedSchema(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One key per database (not per schema): migrations of two schemas never race on shared objects.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('flowstack-event-store-migration'))");
    await client.query(ddl(s));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
