import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { WatchedWorkspaces } from './watched-workspaces';

describe('WatchedWorkspaces (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let queries = 0;
  const [triggered, notified, quiet, disabled, deleted] = Array.from({ length: 5 }, () => randomUUID());

  beforeAll(async () => {
    db = await createTestDatabase('watched');
    pool = new Pool({ connectionString: db.url, max: 2 });
    // Only the columns the question reads; the real tables come from the scheduler's migrations.
    await pool.query(`
      CREATE SCHEMA scheduler;
      CREATE TABLE scheduler.triggers (workspace_id uuid NOT NULL, enabled boolean NOT NULL, deleted_at timestamptz);
      CREATE TABLE scheduler.notifications (workspace_id uuid NOT NULL, enabled boolean NOT NULL, deleted_at timestamptz);`);
    await pool.query(`INSERT INTO scheduler.triggers VALUES ($1, true, NULL), ($2, false, NULL), ($3, true, now())`, [
      triggered,
      disabled,
      deleted,
    ]);
    await pool.query(`INSERT INTO scheduler.notifications VALUES ($1, true, NULL), ($2, false, NULL)`, [notified, disabled]);
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      queries++;
      return query(...args);
    };
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('answers every run end that asks within one window with one query', async () => {
    const watched = new WatchedWorkspaces(pool, 50);
    queries = 0;
    const first = watched.has(triggered);
    // Asked on later turns of the event loop, as run ends arrive under load: the same query.
    await new Promise((resolve) => setImmediate(resolve));
    const second = watched.has(quiet);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const third = watched.has(notified);
    expect(await Promise.all([first, second, third])).toEqual([true, false, true]);
    expect(queries).toBe(1);
  });

  it('answers every workspace asked in one turn with one query', async () => {
    const watched = new WatchedWorkspaces(pool);
    queries = 0;
    const asked = [triggered, notified, quiet, disabled, deleted, triggered, quiet.toUpperCase(), notified.toUpperCase()];
    const answers = await Promise.all(asked.map((id) => watched.has(id)));
    expect(answers).toEqual([true, true, false, false, false, true, false, true]);
    expect(queries).toBe(1);
  });

  it('asks again on a later turn: a trigger counts from its commit', async () => {
    const watched = new WatchedWorkspaces(pool);
    const late = randomUUID();
    expect(await watched.has(late)).toBe(false);
    await pool.query(`INSERT INTO scheduler.triggers VALUES ($1, true, NULL)`, [late]);
    expect(await watched.has(late)).toBe(true);
  });

  it('answers an id that is no UUID with false without asking, and a failed query to every asker', async () => {
    const watched = new WatchedWorkspaces(pool);
    queries = 0;
    await expect(watched.has('not-a-uuid')).resolves.toBe(false);
    expect(queries).toBe(0);
    const broken = new WatchedWorkspaces({ query: () => Promise.reject(new Error('database away')) } as unknown as Pool);
    await expect(Promise.all([broken.has(triggered), broken.has(quiet)])).rejects.toThrow('database away');
  });
});
