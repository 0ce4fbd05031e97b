import { Logger } from '@nestjs/common';
import type { MigrationObject } from '@mikro-orm/core';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Pool } from 'pg';
import { migrateEventStore } from '@flowstack/event-store';
import { withMigrationLock } from '@flowstack/service-kit';

/** What one service tells this lib about its relational state; everything else is shared. */
export interface ServiceOrmSettings {
  /** The service's database (`DATABASE_URL`); the ORM and the plain `pg` pool both connect to it. */
  databaseUrl: string;
  /** The Postgres schema this service owns; no other service reads or writes it. */
  schema: string;
  /** The service's MikroORM entity classes. */
  entities: NonNullable<Options['entities']>;
  /** Connections of the service's `pg` pool, shared by the ORM (default 4). */
  poolSize?: number;
  /**
   * Every migration of the schema, in order. Names are stored in `<schema>.mikro_orm_migrations`:
   * never rename or reorder one that has shipped, only append.
   */
  migrations: MigrationObject[];
  /** False when `MIGRATIONS=skip` (a deployment that migrates in a separate job). */
  runMigrations: boolean;
}

const ormOptions = (settings: ServiceOrmSettings): Options => ({
  clientUrl: settings.databaseUrl,
  entities: settings.entities,
  extensions: [Migrator],
  pool: { min: 0, max: 10 },
  migrations: {
    migrationsList: settings.migrations,
    schema: settings.schema,
    tableName: 'mikro_orm_migrations',
    snapshot: false,
    silent: true,
  },
});

/**
 * Opens the ORM and, unless `MIGRATIONS=skip`, brings the schema up to date first (the event
 * store's table too, since every change appends to it in the same transaction). No provider gets
 * an ORM whose schema is behind the code. Replicas starting at once migrate one after the other
 * under an advisory lock per schema, taken on `pool`.
 */
export async function openServiceOrm(settings: ServiceOrmSettings, pool: Pool): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(settings));
  try {
    if (settings.runMigrations) {
      const applied = await withMigrationLock(pool, `flowstack:${settings.schema}:migrations`, async () => {
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
