import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchemaMigration } from './migrations/0001-initial-schema.migration';
import { WebhooksMigration } from './migrations/0002-webhooks.migration';
import { TriggersNotificationsMigration } from './migrations/0003-triggers-notifications.migration';
import { WebhookListAndEnabledMigration } from './migrations/0004-webhook-list-and-enabled.migration';

/**
 * Every migration of the scheduler schema, in order. Names are stored in
 * `scheduler.mikro_orm_migrations`: never rename or reorder one that has shipped, only append.
 */
export const SCHEDULER_MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial-schema', class: InitialSchemaMigration },
  { name: '0002-webhooks', class: WebhooksMigration },
  { name: '0003-triggers-notifications', class: TriggersNotificationsMigration },
  { name: '0004-webhook-list-and-enabled', class: WebhookListAndEnabledMigration },
];
