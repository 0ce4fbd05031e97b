import { Migration } from '@mikro-orm/migrations';

/**
 * The index `GET /api/v1/webhooks` walks: a workspace's live webhooks newest first, the keyset
 * order of its cursor (the schedules, triggers and notifications have the same one).
 */
export class WebhooksListMigration extends Migration {
  override up(): void {
    this.addSql(`
      create index webhooks_workspace_list_idx
        on scheduler.webhooks (workspace_id, created_at desc, id desc) where deleted_at is null`);
  }
}
