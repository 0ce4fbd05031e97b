import { assertSchemaName, runLockedDdl } from '@flowstack/service-kit';
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
  assertSchemaName(schema);
  await runLockedDdl(pool, 'flowstack-billing-migration', ddl(schema));
}
