import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { extname, join } from 'node:path';
import type { Pool } from 'pg';
import { ProjectionThread, canRunInThread } from '@flowstack/event-store';
import { PG_POOL } from '@flowstack/service-kit';
import { BILLING_CONFIG, EVENT_STORE, type BillingConfig } from '../billing.config';
import { migrateUsageSchema } from './usage.migration';
import { UsageProjection } from './usage.projection';
import { UsageStore } from './usage.store';
import type { UsageThreadData } from './usage.thread';

/** The thread's entry, built or not like this file. */
const THREAD_ENTRY = join(__dirname, `usage.thread${extname(__filename)}`);

/**
 * Runs the usage projection's poll loop for the service's lifetime (every replica; one applies at
 * a time), on a worker thread of its own where the process can start one, else (inside Jest) on
 * the main thread. On billing's busy event loop a batch's transaction stayed open between its
 * round trips, and every reader of the global log waits for the oldest open transaction.
 */
@Injectable()
export class UsageProjectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly thread?: ProjectionThread;

  constructor(
    @Inject(UsageProjection) private readonly projection: UsageProjection,
    @Inject(BILLING_CONFIG) config: BillingConfig,
  ) {
    if (!canRunInThread(THREAD_ENTRY)) return;
    const data: UsageThreadData = { databaseUrl: config.databaseUrl };
    this.thread = new ProjectionThread({ entry: THREAD_ENTRY, data, logger: new Logger('usage') });
  }

  onApplicationBootstrap(): void {
    if (this.thread) this.thread.start();
    else this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.thread ?? this.projection).stop();
  }
}

/** The usage report's providers, added to billing's module. */
export const USAGE_PROVIDERS: Provider[] = [
  {
    provide: UsageProjection,
    // After the event store's migration (EVENT_STORE): the projection reads its log.
    inject: [PG_POOL, BILLING_CONFIG, EVENT_STORE],
    useFactory: async (pool: Pool, config: BillingConfig) => {
      if (config.runMigrations) await migrateUsageSchema(pool);
      return new UsageProjection({ pool, logger: new Logger('usage') });
    },
  },
  { provide: UsageStore, inject: [PG_POOL], useFactory: (pool: Pool) => new UsageStore(pool) },
  UsageProjectionService,
];
