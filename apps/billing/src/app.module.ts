import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Namespace } from '@flowstack/contracts';
import { JETSTREAM, MessagingModule, NAMESPACE } from '@flowstack/messaging';
import { DatabaseModule, PG_POOL } from '@flowstack/service-kit';
import { JetStreamEventPublisher, PostgresEventStore, migrateEventStore } from '@flowstack/event-store';
import { BILLING_CONFIG, EVENT_STORE, type BillingConfig } from './billing.config';
import { CLOCK, systemClock, type Clock } from './clock';
import { migrateBillingSchema } from './database/billing.migration';
import { CreditsHandlers } from './credits/credits.handlers';
import { CreditsService } from './credits/credits.service';
import { LedgerHandler } from './ledger/ledger.handler';
import { LedgerStateCache } from './ledger/ledger-state.cache';
import { ExpirySweep } from './sweep/expiry-sweep';
import { ExecutionEntriesHandlers } from './credits/execution-entries.handlers';
import { SettlementConsumer } from './settlement/settlement.consumer';
import { UsageHandlers } from './usage/usage.handlers';
import { USAGE_PROVIDERS } from './usage/usage.providers';

/** The billing service: each workspace's credit ledger; answers `billing.*` over NATS. */
@Module({})
export class AppModule {}

/** Builds the service's root module from its settings (tests pass their own clock). */
export function createAppModule(config: BillingConfig, clock: Clock = systemClock): DynamicModule {
  return {
    module: AppModule,
    imports: [
      DatabaseModule.forRoot({ url: config.databaseUrl, max: config.pgPoolSize }),
      MessagingModule.forRoot({
        serviceName: 'billing',
        natsUrl: config.natsUrl,
        namespace: config.namespace,
        streams: ['EVENTS'],
      }),
    ],
    controllers: [CreditsHandlers, ExecutionEntriesHandlers, UsageHandlers],
    providers: [
      { provide: BILLING_CONFIG, useValue: config },
      { provide: CLOCK, useValue: clock },
      {
        provide: EVENT_STORE,
        inject: [PG_POOL, JETSTREAM, NAMESPACE],
        useFactory: async (pool: Pool, js: JetStreamClient, ns: Namespace) => {
          if (config.runMigrations) {
            await migrateEventStore(pool);
            await migrateBillingSchema(pool);
          }
          // The fast path publishes after commit; the orchestrator's outbox relay is the safety net.
          return new PostgresEventStore(pool, { publisher: new JetStreamEventPublisher(js, ns) });
        },
      },
      { provide: LedgerStateCache, useFactory: () => new LedgerStateCache(config.ledgerCacheSize) },
      LedgerHandler,
      CreditsService,
      ExpirySweep,
      SettlementConsumer,
      ...USAGE_PROVIDERS,
    ],
  };
}
