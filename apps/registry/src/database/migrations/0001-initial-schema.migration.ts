import { Migration } from '@mikro-orm/migrations';

/**
 * Workflows and their immutable versions. Written by hand (not generated) so the constraints the
 * code relies on are visible: one row per (workflow, version), versions that refuse UPDATE, the
 * partial index behind the keyset-paginated list, and millisecond timestamps that round-trip
 * exactly through JS Dates (the list cursor compares them for equality).
 */
export class InitialSchemaMigration extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists registry`);
    this.addSql(`
      create table registry.workflows (
        id uuid primary key,
        workspace_id uuid not null,
        name text not null,
        description text,
        current_version integer not null check (current_version > 0),
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create index workflows_workspace_list_idx
        on registry.workflows (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`
      create table registry.workflow_versions (
        id uuid primary key,
        workflow_id uuid not null references registry.workflows (id),
        version integer not null check (version > 0),
        name text not null,
        description text,
        graph jsonb not null,
        created_at timestamptz(3) not null,
        created_by text not null,
        constraint workflow_versions_workflow_id_version_unique unique (workflow_id, version)
      )`);
    this.addSql(`
      create function registry.reject_workflow_version_update() returns trigger language plpgsql as $fn$
      begin
        raise exception 'workflow versions are immutable: save a new version instead';
      end $fn$`);
    this.addSql(`
      create trigger workflow_versions_immutable before update on registry.workflow_versions
        for each statement execute function registry.reject_workflow_version_update()`);
  }
}
