import { Pool, type PoolConfig } from 'pg';
import { createTestDatabase as createDatabase } from '@flowstack/testing';

export interface TestDatabase {
  readonly name: string;
  /** A new pool on the database; closed by `drop()` if the test has not closed it. */
  pool(options?: Pick<PoolConfig, 'max'>): Pool;
  /** Closes the pools and drops the database (forcing out leftover sessions). */
  drop(): Promise<void>;
}

/** A throwaway database for one test file, plus pools on it that `drop()` cleans up. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const db = await createDatabase('es');
  const pools: Pool[] = [];
  return {
    name: db.name,
    pool(options = {}) {
      const p = new Pool({ connectionString: db.url, ...options });
      // A session killed by drop() must not crash the test process through an unhandled 'error':
      // on the pool for idle clients, and on each client for one a test holds checked out (pg-pool
      // takes its own listener off a client while it is lent; the query in flight still rejects).
      p.on('error', () => undefined);
      p.on('connect', (client) => client.on('error', () => undefined));
      pools.push(p);
      return p;
    },
    async drop() {
      // pool.end() waits for every checked-out client; a test that failed half-way may never
      // release one, so the database is dropped anyway after a short wait.
      const ended = Promise.all(pools.filter((p) => !p.ended && !p.ending).map((p) => p.end()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      await db.drop();
    },
  };
}
