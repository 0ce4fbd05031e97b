import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@flowstack/service-kit';
import { BILLING_CONFIG, EVENT_STORE, type BillingConfig } from '../billing.config';
import { migrateUsageSchema } from './usage.migration';
import { UsageProjection } from './usage.projection';
import { UsageStore } from './usage.store';

/** Runs the usage projection's poll loop for the service's lifetime (every replica; one applies at a time). */
@Injectable()
export class UsageProjectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(UsageProjection) private readonly projection: UsageProjection) {}

  onApplicationBootstrap(): void {
    this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
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
