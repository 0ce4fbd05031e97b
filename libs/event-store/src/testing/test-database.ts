import { randomBytes } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';

const base: PoolConfig = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};

export interface TestDatabase {
  readonly name: string;
  /** A new pool on the database; closed by `drop()` if the test has not closed it. */
  pool(options?: Pick<PoolConfig, 'max'>): Pool;
  /** Closes the pools, terminates leftover sessions and drops the database. */
  drop(): Promise<void>;
}

/** Creates a throwaway database `fs_es_<random>` so a test file shares nothing with others. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `fs_es_${randomBytes(6).toString('hex')}`;
  const pools: Pool[] = [];
  await admin(async (a) => {
    await a.query(`CREATE DATABASE ${name}`);
  });
  return {
    name,
    pool(options = {}) {
      const p = new Pool({ ...base, database: name, ...options });
      // A session killed by drop() must not crash the test process through an unhandled 'error'.
      p.on('error', () => undefined);
      pools.push(p);
      return p;
    },
    async drop() {
      // pool.end() waits for every checked-out client; a test that failed half-way may never release
      // one, so the database is dropped anyway (FORCE terminates its sessions) after a short wait.
      const ended = Promise.all(pools.filter((p) => !p.ended && !p.ending).map((p) => p.end()));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      await admin(async (a) => {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    },
  };
}

async function admin(work: (pool: Pool) => Promise<void>): Promise<void> {
  const pool = new Pool({ ...base, database: 'postgres', max: 1 });
  try {
    await work(pool);
  } finally {
    await pool.end();
  }
}
