import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { DatabaseModule, PG_POOL } from '@flowstack/service-kit';
import type { IdentityConfig } from '../identity.config';
import { openIdentityOrm } from './identity-orm';

@Injectable()
class OrmLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}
  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}

/**
 * The identity schema: a migrated MikroORM (`MikroORM`, and its root `EntityManager`, which callers
 * fork or use through `transactional`) plus the plain `pg` pool (`PG_POOL`) that the migration
 * lock and the event store use.
 */
@Global()
@Module({})
export class IdentityDatabaseModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityDatabaseModule,
      imports: [DatabaseModule.forRoot({ url: config.databaseUrl, max: 4 })],
      providers: [
        { provide: MikroORM, inject: [PG_POOL], useFactory: (pool: Pool) => openIdentityOrm(config, pool) },
        { provide: EntityManager, inject: [MikroORM], useFactory: (orm: MikroORM) => orm.em },
        OrmLifecycle,
      ],
      exports: [MikroORM, EntityManager],
    };
  }
}
