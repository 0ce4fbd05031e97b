import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { registerReadinessCheck } from '@flowstack/contracts';
import { connectPostgres } from './postgres';

export const PG_POOL = Symbol('PG_POOL');

@Injectable()
class PoolLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

/** Provides a connected `pg` pool (`PG_POOL`) and closes it on shutdown. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: { url?: string; max?: number } = {}): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: PG_POOL,
          useFactory: async () => {
            const pool = await connectPostgres(
              options.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/flowstack',
              { max: options.max ?? 10 },
            );
            // Readiness: one round trip on the pool (a pool that ended, at shutdown, fails it).
            registerReadinessCheck('postgres', () => pool.query('select 1'));
            return pool;
          },
        },
        PoolLifecycle,
      ],
      exports: [PG_POOL],
    };
  }
}
