import { Logger } from '@nestjs/common';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Pool } from 'pg';
import { migrateEventStore } from '@flowstack/event-store';
import type { IdentityConfig } from '../identity.config';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Membership } from '../workspaces/membership.entity';
import { RevokedToken } from '../tokens/revoked-token.entity';
import { IDENTITY_MIGRATIONS } from './identity.migrations';
import { withMigrationLock } from './migration-lock';

/** The Postgres schema this service owns; no other service reads or writes it. */
export const IDENTITY_SCHEMA = 'identity';

export const identityOrmOptions = (config: IdentityConfig): Options => ({
  clientUrl: config.databaseUrl,
  entities: [User, Workspace, Membership, RevokedToken],
  extensions: [Migrator],
  pool: { min: 0, max: 10 },
  migrations: {
    migrationsList: IDENTITY_MIGRATIONS,
    schema: IDENTITY_SCHEMA,
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
export async function openIdentityOrm(config: IdentityConfig, pool: Pool): Promise<MikroORM> {
  const orm = await MikroORM.init(identityOrmOptions(config));
  try {
    if (config.runMigrations) {
      const applied = await withMigrationLock(pool, `flowstack:${IDENTITY_SCHEMA}:migrations`, async () => {
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
