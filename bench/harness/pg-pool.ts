import { Pool } from 'pg';

/**
 * A pg pool for the benchmark's own queries. An idle client's error (its database dropped by a
 * cleanup step, the server restarting) must not crash the run as an unhandled 'error' event: the
 * next query on it fails instead, where it is handled.
 */
export function benchPool(connectionString: string, max: number): Pool {
  const pool = new Pool({ connectionString, max });
  pool.on('error', () => undefined);
  return pool;
}
