import type { Pool } from 'pg';

/** Billing's own tables (the ledger itself is the event store's stream `credits-<workspaceId>`). */
export const BILLING_SCHEMA = 'billing';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

-- One row per workspace ledger: when its earliest open hold expires (NULL: none open). Written in
-- the same transaction as every append that changes it, so the expiry sweep finds exactly the
-- ledgers with due holds without reading any stream.
CREATE TABLE IF NOT EXISTS ${s}.ledgers (
  workspace_id text PRIMARY KEY,
  position integer NOT NULL,
  next_expiry timestamptz
);

DO $$ BEGIN
  IF to_regclass('${s}.ledgers_next_expiry_idx') IS NULL THEN
    CREATE INDEX ledgers_next_expiry_idx ON ${s}.ledgers (next_expiry) WHERE next_expiry IS NOT NULL;
  END IF;
END $$;
`;

/**
 * Creates or completes billing's schema: idempotent DDL in one transaction under an advisory lock,
 * so replicas starting at once apply it one after the other (the orchestrator's way).
 */
export async function migrateBillingSchema(pool: Pool, schema: string = BILLING_SCHEMA): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('flowstack-billing-migration'))");
    await client.query(ddl(schema));
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
