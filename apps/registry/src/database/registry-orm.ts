import { Logger } from '@nestjs/common';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Pool } from 'pg';
import { migrateEventStore } from '@flowstack/event-store';
import type { RegistryConfig } from '../registry.config';
import { Workflow } from '../workflows/workflow.entity';
import { WorkflowVersion } from '../workflows/workflow-version.entity';
import { REGISTRY_MIGRATIONS } from './registry.migrations';
import { withMigrationLock } from './migration-lock';

/** The Postgres schema this service owns; no other service reads or writes it. */
export const REGISTRY_SCHEMA = 'registry';

export const registryOrmOptions = (config: RegistryConfig): Options => ({
  clientUrl: config.databaseUrl,
  entities: [Workflow, WorkflowVersion],
  extensions: [Migrator],
  pool: { min: 0, max: 10 },
  migrations: {
    migrationsList: REGISTRY_MIGRATIONS,
    schema: REGISTRY_SCHEMA,
    tableName: 'mikro_orm_migrations',
    snapshot: false,
    silent: true,
  },
});

/**
 * Opens the ORM and, unless `MIGRATIONS=skip`, brings the schema up to date first (the event
 * store's table too, since every change appends to it in the same transaction). No provider gets
 * an ORM whose schema is behind the code.
 */
export async function openRegistryOrm(config: RegistryConfig, pool: Pool): Promise<MikroORM> {
  const orm = await MikroORM.init(registryOrmOptions(config));
  try {
    if (config.runMigrations) {
      const applied = await withMigrationLock(pool, `flowstack:${REGISTRY_SCHEMA}:migrations`, async () => {
        await migrateEventStore(pool);
        return orm.migrator.up();
      });
      if (applied.length) new Logger('migrations').log(`applied ${applied.map((m) => m.name).join(', ')}`);
    }
    return orm;
  } catch (e) {
    await orm.close();
    throw e;
  }
}
