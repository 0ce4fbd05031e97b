import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@flowstack/messaging';
import { OrmDatabaseModule } from '@flowstack/orm';
import { CLOCK, systemClock, type Clock } from './clock';
import { schedulerOrmSettings } from './database/scheduler-orm';
import type { SchedulerConfig } from './scheduler.config';
import { SchedulesModule } from './schedules/schedules.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { RunReactionsModule } from './run-outcomes/run-reactions.module';
import { SEALER, Sealer } from './sealing';

/** The service's clock (tests pass a faster one) and its sealer of secrets, for every module. */
@Global()
@Module({})
class ClockModule {
  static forRoot(clock: Clock, sealer: Sealer): DynamicModule {
    return {
      module: ClockModule,
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: SEALER, useValue: sealer },
      ],
      exports: [CLOCK, SEALER],
    };
  }
}

/** The scheduler service: schedules and the loop that fires them; answers `scheduler.*` over NATS. */
@Module({})
export class AppModule {}

/** Builds the service's root module from its settings (tests pass their own database, namespace and clock). */
export function createAppModule(config: SchedulerConfig, clock: Clock = systemClock): DynamicModule {
  return {
    module: AppModule,
    imports: [
      ClockModule.forRoot(clock, new Sealer(config.keyring)),
      MessagingModule.forRoot({
        serviceName: 'scheduler',
        natsUrl: config.natsUrl,
        namespace: config.namespace,
        streams: ['EVENTS'],
      }),
      OrmDatabaseModule.forRoot(schedulerOrmSettings(config)),
      SchedulesModule.forRoot(config),
      WebhooksModule.forRoot(config),
      RunReactionsModule.forRoot({
        enabled: config.fire,
        pollMs: config.pollMs,
        retryBaseMs: config.notifyRetryMs,
        allowPrivateNetwork: config.allowPrivateNetwork,
      }),
    ],
  };
}
