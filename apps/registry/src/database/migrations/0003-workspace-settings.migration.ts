import { Migration } from '@mikro-orm/migrations';

/** One row of switches per workspace that changed one (python and shell tools, and more to come). */
export class WorkspaceSettingsMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table registry.workspace_settings (
        workspace_id uuid primary key,
        settings jsonb not null,
        updated_at timestamptz(3) not null
      )`);
  }
}
