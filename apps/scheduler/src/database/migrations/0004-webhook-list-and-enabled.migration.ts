import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks can be disabled (`PATCH /api/v1/webhooks/{id}`): a disabled one refuses calls and
 * starts nothing; every existing one stays enabled. And the index `GET /api/v1/webhooks` walks: a
 * workspace's live webhooks newest first, the keyset order of its cursor (the schedules, triggers
 * and notifications have the same one).
 */
export class WebhookListAndEnabledMigration extends Migration {
  override up(): void {
    this.addSql(`alter table scheduler.webhooks add column enabled boolean not null default true`);
    this.addSql(`
      create index webhooks_workspace_list_idx
        on scheduler.webhooks (workspace_id, created_at desc, id desc) where deleted_at is null`);
  }
}
