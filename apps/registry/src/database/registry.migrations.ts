import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchemaMigration } from './migrations/0001-initial-schema.migration';
import { AgentsToolsCredentialsMigration } from './migrations/0002-agents-tools-credentials.migration';
import { WorkspaceSettingsMigration } from './migrations/0003-workspace-settings.migration';
import { McpDiscoveryAndStdioMigration } from './migrations/0004-mcp-discovery-and-stdio.migration';
import { McpStdioIntoWorkspaceSettingsMigration } from './migrations/0005-mcp-stdio-into-workspace-settings.migration';

/**
 * Every migration of the registry schema, in order. Names are stored in
 * `registry.mikro_orm_migrations`: never rename or reorder one that has shipped, only append.
 */
export const REGISTRY_MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial-schema', class: InitialSchemaMigration },
  { name: '0002-agents-tools-credentials', class: AgentsToolsCredentialsMigration },
  { name: '0003-workspace-settings', class: WorkspaceSettingsMigration },
  { name: '0004-mcp-discovery-and-stdio', class: McpDiscoveryAndStdioMigration },
  { name: '0005-mcp-stdio-into-workspace-settings', class: McpStdioIntoWorkspaceSettingsMigration },
];
