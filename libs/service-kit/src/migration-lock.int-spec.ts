import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { withMigrationLock } from './migration-lock';

// service-kit may not depend on @flowstack/testing (module boundaries), so the database is made here.
const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `fs_migration_lock_${randomBytes(4).toString('hex')}`;
const url = Object.assign(new URL(ADMIN_URL), { pathname: `/${name}` }).toString();

const advisoryHolders = async (pool: Pool): Promise<number[]> =>
  (
    await pool.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
  ).rows.map((r) => r.pid);

describe('withMigrationLock', () => {
  let admin: Pool;
  let pool: Pool;

  beforeAll(async () => {
    admin = new Pool({ connectionString: ADMIN_URL, max: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    pool = new Pool({ connectionString: url, max: 3 });
    pool.on('error', () => undefined);
  });

  afterAll(async () => {
    await pool?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it('runs the work under the lock and frees it afterwards', async () => {
    const seen = await withMigrationLock(pool, 'lock-a', async () => advisoryHolders(pool));
    expect(seen).toHaveLength(1);
    expect(await advisoryHolders(pool)).toEqual([]);
  });

  it('survives Postgres ending its session while the work runs (no unhandled error event)', async () => {
    const result = await withMigrationLock(pool, 'lock-b', async () => {
      const [holder] = await advisoryHolders(pool);
      // What a restart or a forced DROP DATABASE does to the idle session holding the lock.
      await pool.query('SELECT pg_terminate_backend($1)', [holder]);
      // The migration goes on over other connections meanwhile; by the time the lock is gone from
      // pg_locks, the dead session's last message is on its socket and gets read during the work.
      const deadline = Date.now() + 10_000;
      while ((await advisoryHolders(pool)).length > 0) {
        if (Date.now() > deadline) throw new Error('the terminated session still holds the lock');
      }
      await pool.query('SELECT 1');
      return 'migrated';
    });
    // The unlock on the dead session failed, so the client was destroyed; the lock went with it.
    expect(result).toBe('migrated');
    expect(await advisoryHolders(pool)).toEqual([]);
  });
});
