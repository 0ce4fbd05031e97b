import type { ServiceOrmSettings } from '@flowstack/orm';
import type { SchedulerConfig } from '../scheduler.config';
import { Schedule } from '../schedules/schedule.entity';
import { ScheduleFire } from '../schedules/schedule-fire.entity';
import { Webhook } from '../webhooks/webhook.entity';
import { SCHEDULER_MIGRATIONS } from './scheduler.migrations';

/** The scheduler's relational state: the `scheduler` schema, its entities and migrations. */
export const schedulerOrmSettings = (config: SchedulerConfig): ServiceOrmSettings => ({
  databaseUrl: config.databaseUrl,
  runMigrations: config.runMigrations,
  schema: 'scheduler',
  entities: [Schedule, ScheduleFire, Webhook],
  migrations: SCHEDULER_MIGRATIONS,
});
