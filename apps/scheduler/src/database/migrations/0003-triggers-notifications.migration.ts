import { Migration } from '@mikro-orm/migrations';

/**
 * Event triggers and run notifications, and webhooks' token mode and sealed secrets.
 *
 * - `trigger_fires` is unique on (trigger, source execution): what a trigger did about one source
 *   run's outcome is recorded once, whatever the redeliveries of its event.
 * - `notification_deliveries` is unique on (notification, execution): one delivery per run outcome,
 *   retried in place (`next_attempt_at`, claimed with `FOR UPDATE SKIP LOCKED`), its attempts kept.
 * - a webhook's secret is now sealed with the master key (`sealed_secret`); rows written before
 *   keep their plain `secret` and still verify.
 * - `webhook_rate_limits` counts calls per webhook for every replica (rate-limiter-flexible).
 */
export class TriggersNotificationsMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table scheduler.triggers (
        id uuid primary key,
        workspace_id uuid not null,
        source_workflow_id uuid not null,
        on_outcomes jsonb not null,
        condition text,
        target_workflow_id uuid not null,
        target_version integer check (target_version > 0),
        input_mapping text,
        enabled boolean not null,
        created_by text not null,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create index triggers_source_idx on scheduler.triggers (workspace_id, source_workflow_id)
        where deleted_at is null and enabled`);
    this.addSql(`
      create index triggers_workspace_list_idx
        on scheduler.triggers (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`
      create table scheduler.trigger_fires (
        trigger_id uuid not null references scheduler.triggers (id),
        source_execution_id uuid not null,
        workspace_id uuid not null,
        source_outcome text not null,
        result text not null check (result in ('started', 'condition_false', 'depth_exceeded', 'failed')),
        execution_id uuid,
        depth integer not null,
        error text,
        fired_at timestamptz(3) not null,
        primary key (trigger_id, source_execution_id)
      )`);
    this.addSql(`create index trigger_fires_history_idx on scheduler.trigger_fires (trigger_id, fired_at desc)`);
    this.addSql(`
      create table scheduler.notifications (
        id uuid primary key,
        workspace_id uuid not null,
        workflow_id uuid not null,
        channel text not null check (channel in ('slack', 'discord', 'generic')),
        sealed_url text not null,
        host text not null,
        on_outcomes jsonb not null,
        enabled boolean not null,
        created_by text not null,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create index notifications_workflow_idx on scheduler.notifications (workspace_id, workflow_id)
        where deleted_at is null and enabled`);
    this.addSql(`
      create index notifications_workspace_list_idx
        on scheduler.notifications (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`
      create table scheduler.notification_deliveries (
        id uuid primary key,
        notification_id uuid not null references scheduler.notifications (id),
        workspace_id uuid not null,
        execution_id uuid not null,
        outcome text not null,
        payload jsonb not null,
        status text not null check (status in ('pending', 'delivered', 'failed')),
        attempts jsonb not null default '[]'::jsonb,
        next_attempt_at timestamptz(3),
        created_at timestamptz(3) not null,
        constraint notification_deliveries_once unique (notification_id, execution_id)
      )`);
    this.addSql(`
      create index notification_deliveries_due_idx on scheduler.notification_deliveries (next_attempt_at)
        where status = 'pending'`);
    this.addSql(`
      create index notification_deliveries_history_idx
        on scheduler.notification_deliveries (notification_id, created_at desc, id desc)`);
    this.addSql(`alter table scheduler.webhooks add column auth text not null default 'hmac' check (auth in ('hmac', 'token'))`);
    this.addSql(`alter table scheduler.webhooks add column sealed_secret text`);
    this.addSql(`alter table scheduler.webhooks alter column secret drop not null`);
    // rate-limiter-flexible's RateLimiterPostgres table (its own layout), shared by every replica.
    this.addSql(`
      create table scheduler.webhook_rate_limits (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      )`);
  }
}
