import { Migration } from '@mikro-orm/migrations';

/**
 * MCP tools: the definitions a discovery pinned (`tools.mcp_discovery`), and the per-workspace
 * switch that lets mcp tools start stdio servers (off until an admin turns it on).
 */
export class McpDiscoveryAndStdioMigration extends Migration {
  override up(): void {
    this.addSql(`alter table registry.tools add column mcp_discovery jsonb`);
    this.addSql(`
      create table registry.mcp_stdio_settings (
        workspace_id uuid primary key,
        enabled boolean not null,
        updated_by text not null,
        updated_at timestamptz(3) not null
      )`);
  }
}
