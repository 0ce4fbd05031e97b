import { randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@flowstack/testing';
import { registryOrmSettings } from '../src/database/registry-orm';

/**
 * Migration 0005 on a database that has stdio switches of the old table: each becomes the `mcp`
 * group of the workspace's settings (merged into an existing row, keeping its other groups), and
 * the old table is gone.
 */
describe('migration 0005: the mcp stdio switch moves into the workspace settings', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  let sql: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('registry_mig5');
    const settings = registryOrmSettings({ databaseUrl: db.url, runMigrations: true });
    orm = await MikroORM.init({
      clientUrl: db.url,
      entities: settings.entities,
      extensions: [Migrator],
      migrations: {
        migrationsList: settings.migrations,
        schema: 'registry',
        tableName: 'mikro_orm_migrations',
        snapshot: false,
        silent: true,
      },
    });
    sql = new Pool({ connectionString: db.url, max: 1 });
  });
  afterAll(async () => {
    await sql?.end();
    await orm?.close();
    await db?.drop();
  });

  it('merges every row and drops the table', async () => {
    await orm.migrator.up({ to: '0004-mcp-discovery-and-stdio' });
    const [both, onlyStdio, off] = [randomUUID(), randomUUID(), randomUUID()];
    await sql.query(
      `insert into registry.workspace_settings (workspace_id, settings, updated_at)
       values ($1, '{"sandboxedTools":{"python":true,"shell":false,"network":false}}', '2026-01-01T00:00:00Z')`,
      [both],
    );
    await sql.query(
      `insert into registry.mcp_stdio_settings (workspace_id, enabled, updated_by, updated_at) values
         ($1, true, 'u1', '2026-02-01T00:00:00Z'), ($2, true, 'u2', '2026-03-01T00:00:00Z'), ($3, false, 'u3', '2026-04-01T00:00:00Z')`,
      [both, onlyStdio, off],
    );
    await orm.migrator.up();
    const rows = await sql.query<{ workspace_id: string; settings: unknown; updated_at: Date }>(
      `select workspace_id, settings, updated_at from registry.workspace_settings`,
    );
    const byId = new Map(rows.rows.map((r) => [r.workspace_id, r]));
    expect(byId.get(both)!.settings).toEqual({
      sandboxedTools: { python: true, shell: false, network: false },
      mcp: { stdio: true },
    });
    expect(byId.get(both)!.updated_at.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(byId.get(onlyStdio)!.settings).toEqual({ mcp: { stdio: true } });
    expect(byId.get(off)!.settings).toEqual({ mcp: { stdio: false } });
    const table = await sql.query(`select to_regclass('registry.mcp_stdio_settings') as t`);
    expect(table.rows[0].t).toBeNull();
  });
});
