import { Migration } from '@mikro-orm/migrations';

/**
 * The stdio switch of mcp tools becomes the `mcp.stdio` group of the workspace settings (one
 * mechanism for every admin switch): each `mcp_stdio_settings` row is merged into the workspace's
 * settings row (created when missing, keeping the later `updated_at`), then the table is dropped.
 */
export class McpStdioIntoWorkspaceSettingsMigration extends Migration {
  override up(): void {
    this.addSql(`
      insert into registry.workspace_settings (workspace_id, settings, updated_at)
      select workspace_id, jsonb_build_object('mcp', jsonb_build_object('stdio', enabled)), updated_at
        from registry.mcp_stdio_settings
      on conflict (workspace_id) do update
        set settings = registry.workspace_settings.settings || jsonb_build_object('mcp', excluded.settings -> 'mcp'),
            updated_at = greatest(registry.workspace_settings.updated_at, excluded.updated_at)`);
    this.addSql(`drop table registry.mcp_stdio_settings`);
  }
}
