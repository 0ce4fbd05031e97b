import { Migration } from '@mikro-orm/migrations';

/**
 * Schedules and their fires. Written by hand so the constraints the fire loop relies on are
 * visible: the partial index the due query walks (`next_fire_at` of live, enabled schedules, where
 * `FOR UPDATE SKIP LOCKED` lets replicas claim disjoint rows), and the unique (schedule, slot) of a
 * fire, which makes a second record of the same fire impossible whatever the replicas do.
 */
export class InitialSchemaMigration extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists scheduler`);
    this.addSql(`
      create table scheduler.schedules (
        id uuid primary key,
        workspace_id uuid not null,
        workflow_id uuid not null,
        workflow_version integer check (workflow_version > 0),
        kind text not null check (kind in ('cron', 'interval', 'once')),
        cron text,
        timezone text,
        every_seconds integer,
        anchor timestamptz(3),
        at timestamptz(3),
        input jsonb not null default '{}'::jsonb,
        enabled boolean not null,
        missed_policy text not null check (missed_policy in ('skip', 'run_once', 'catch_up')),
        missed_max_runs integer,
        missed_window_seconds integer,
        overlap text not null check (overlap in ('allow', 'skip', 'buffer_one')),
        fire_cursor timestamptz(3) not null,
        next_fire_at timestamptz(3),
        buffered_slot timestamptz(3),
        created_by text not null,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3),
        check ((kind = 'cron') = (cron is not null and timezone is not null)),
        check ((kind = 'interval') = (every_seconds is not null and anchor is not null)),
        check ((kind = 'once') = (at is not null))
      )`);
    this.addSql(`
      create index schedules_due_idx on scheduler.schedules (next_fire_at)
        where enabled and deleted_at is null and next_fire_at is not null`);
    this.addSql(`
      create index schedules_workspace_list_idx
        on scheduler.schedules (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`
      create table scheduler.schedule_fires (
        schedule_id uuid not null references scheduler.schedules (id),
        slot timestamptz(3) not null,
        workspace_id uuid not null,
        execution_id uuid,
        fired_at timestamptz(3) not null,
        outcome text not null check (outcome in ('started', 'skipped_overlap', 'buffered', 'failed')),
        error text,
        constraint schedule_fires_schedule_slot_unique unique (schedule_id, slot)
      )`);
  }
}
