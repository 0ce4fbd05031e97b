import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { IDENTITY_MIGRATIONS } from '../../apps/identity/src/database/identity.migrations';
import { REGISTRY_MIGRATIONS } from '../../apps/registry/src/database/registry.migrations';
import { SCHEDULER_MIGRATIONS } from '../../apps/scheduler/src/database/scheduler.migrations';
import { ROOT } from './service-env';

const migrate = (databaseUrl: string) =>
  spawnSync(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'tools', 'migrate.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, LOG_FORMAT: 'json' },
    timeout: 60_000,
  });

// The one-shot job of docker-compose.yml and the Helm hook: after it, services started with
// MIGRATIONS=skip must find every table they use.
describe('tools/migrate.ts', () => {
  let db: TestDatabase;
  let pool: Pool;
  beforeAll(async () => {
    db = await createTestDatabase('migrate');
    pool = new Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies every migration of every service, and a second run changes nothing', async () => {
    const first = migrate(db.url);
    expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' });
    const applied = async (schema: string): Promise<string[]> =>
      (await pool.query<{ name: string }>(`select name from ${schema}.mikro_orm_migrations order by id`)).rows.map((r) => r.name);
    expect(await applied('identity')).toEqual(IDENTITY_MIGRATIONS.map((m) => m.name));
    expect(await applied('registry')).toEqual(REGISTRY_MIGRATIONS.map((m) => m.name));
    expect(await applied('scheduler')).toEqual(SCHEDULER_MIGRATIONS.map((m) => m.name));
    const tables = (
      await pool.query<{ t: string }>(
        "select table_schema || '.' || table_name as t from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
      )
    ).rows.map((r) => r.t);
    expect(tables).toEqual(
      expect.arrayContaining([
        'event_store.events',
        'orchestrator.dead_letters',
        'orchestrator.timers',
        'orchestrator.execution_history',
        'identity.users',
        'registry.workflows',
        'registry.credentials',
        'scheduler.schedules',
        'scheduler.webhooks',
        // billing has no migrations table: its idempotent DDL makes the ledger index table.
        'billing.ledgers',
        'billing.usage_runs',
        'billing.usage_nodes',
        'billing.projection_checkpoints',
      ]),
    );
    const billingIndexes = await pool.query<{ indexname: string }>(
      "select indexname from pg_indexes where schemaname = 'billing' and tablename = 'ledgers' order by indexname",
    );
    expect(billingIndexes.rows.map((r) => r.indexname)).toEqual(['ledgers_next_expiry_idx', 'ledgers_pkey']);

    const second = migrate(db.url);
    expect(second.status).toBe(0);
    expect(second.stdout).not.toMatch(/applied/);
    expect(await applied('identity')).toEqual(IDENTITY_MIGRATIONS.map((m) => m.name));
  });

  it('fails with one line naming the server when Postgres is not there', () => {
    const run = migrate('postgres://postgres@127.0.0.1:1/flowstack');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /migrations failed: cannot reach Postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/flowstack/,
    );
  });
});
