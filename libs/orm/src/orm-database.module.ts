import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Pool } from 'pg';
import { DatabaseModule, PG_POOL } from '@flowstack/service-kit';
import { openServiceOrm, type ServiceOrmSettings } from './service-orm';

@Injectable()
class OrmLifecycle implements OnApplicationShutdown {
  constructor(@Inject(MikroORM) private readonly orm: MikroORM) {}
  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}

/**
 * The service's schema: a migrated MikroORM (`MikroORM`, and its root `EntityManager`, which
 * callers fork or use through `transactional`) plus the plain `pg` pool (`PG_POOL`) that the
 * migration lock and the event store use.
 */
@Global()
@Module({})
export class OrmDatabaseModule {
  static forRoot(settings: ServiceOrmSettings): DynamicModule {
    return {
      module: OrmDatabaseModule,
      imports: [DatabaseModule.forRoot({ url: settings.databaseUrl, max: settings.poolSize ?? 4 })],
      providers: [
        { provide: MikroORM, inject: [PG_POOL], useFactory: (pool: Pool) => openServiceOrm(settings, pool) },
        { provide: EntityManager, inject: [MikroORM], useFactory: (orm: MikroORM) => orm.em },
        OrmLifecycle,
      ],
      exports: [MikroORM, EntityManager],
    };
  }
}
