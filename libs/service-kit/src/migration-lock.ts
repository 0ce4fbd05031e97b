import type { Pool } from 'pg';

/**
 * Runs `work` while holding a session-level advisory lock named `name`, so replicas starting at
 * once migrate one after the other and the later ones find nothing left to do. A session lock (not
 * a transaction one) because the migrator opens transactions of its own on other connections; if
 * this process dies, Postgres drops the lock with the session.
 */
export async function withMigrationLock<T>(pool: Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // The session sits idle (no query of its own) while `work` runs on other connections: if Postgres
  // ends it meanwhile (restart, forced drop), pg emits 'error' on this lent client, which without a
  // listener kills the process. Noted instead; the unlock then fails and the client is destroyed.
  const onError = (e: Error): void => {
    broken = e;
  };
  client.on('error', onError);
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch((e: Error) => {
        broken = e;
      });
    }
  } finally {
    // A connection that could not unlock is destroyed rather than pooled, which frees the lock.
    client.off('error', onError);
    client.release(broken ?? false);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Refuses a schema name that is not a plain lower-case identifier (it is spliced into DDL). */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name "${schema}"`);
}

/**
 * Applies idempotent DDL in one transaction holding the transaction-level advisory lock `lockName`,
 * so replicas starting at once apply it one after the other and the later ones find it done.
 * Throws on a database error (rolled back; a retry is safe).
 */
export async function runLockedDdl(pool: Pool, lockName: string, ddl: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
    await client.query(ddl);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
