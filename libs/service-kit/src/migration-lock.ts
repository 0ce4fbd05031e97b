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
