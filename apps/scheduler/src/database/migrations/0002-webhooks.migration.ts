import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks and the signatures already accepted. A signature is accepted once: the primary key
 * (webhook, signature) refuses the second insert, which is how a replayed call within the
 * timestamp tolerance is told apart from a new one.
 */
export class WebhooksMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table scheduler.webhooks (
        id uuid primary key,
        workspace_id uuid not null,
        workflow_id uuid not null,
        workflow_version integer check (workflow_version > 0),
        secret text not null,
        created_by text not null,
        created_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create table scheduler.webhook_signatures (
        webhook_id uuid not null references scheduler.webhooks (id),
        signature text not null,
        seen_at timestamptz(3) not null,
        primary key (webhook_id, signature)
      )`);
    this.addSql(`create index webhook_signatures_seen_idx on scheduler.webhook_signatures (seen_at)`);
  }
}
