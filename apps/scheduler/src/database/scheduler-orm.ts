import type { ServiceOrmSettings } from '@flowstack/orm';
import type { SchedulerConfig } from '../scheduler.config';
import { Schedule } from '../schedules/schedule.entity';
import { ScheduleFire } from '../schedules/schedule-fire.entity';
import { Webhook } from '../webhooks/webhook.entity';
import { Trigger } from '../triggers/trigger.entity';
import { Notification } from '../notifications/notification.entity';
import { SCHEDULER_MIGRATIONS } from './scheduler.migrations';

/** The scheduler's relational state: the `scheduler` schema, its entities and migrations. */
export const schedulerOrmSettings = (config: SchedulerConfig): ServiceOrmSettings => ({
  databaseUrl: config.databaseUrl,
  runMigrations: config.runMigrations,
  schema: 'scheduler',
  entities: [Schedule, ScheduleFire, Webhook, Trigger, Notification],
  migrations: SCHEDULER_MIGRATIONS,
  // One connection per concurrent claim, and three for the API, the run-outcome consumers and notifications.
  poolSize: config.parallelClaims + 3,
});
