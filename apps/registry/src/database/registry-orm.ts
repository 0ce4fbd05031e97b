import type { ServiceOrmSettings } from '@flowstack/orm';
import type { RegistryConfig } from '../registry.config';
import { Workflow } from '../workflows/workflow.entity';
import { WorkflowVersion } from '../workflows/workflow-version.entity';
import { Agent } from '../agents/agent.entity';
import { Credential } from '../credentials/credential.entity';
import { AgentTool, Tool } from '../tools/tool.entity';
import { WorkspaceSettingsRow } from '../settings/workspace-settings.entity';
import { REGISTRY_MIGRATIONS } from './registry.migrations';

/** The registry service's relational state: the `registry` schema, its entities and migrations. */
export const registryOrmSettings = (config: Pick<RegistryConfig, 'databaseUrl' | 'runMigrations'>): ServiceOrmSettings => ({
  databaseUrl: config.databaseUrl,
  runMigrations: config.runMigrations,
  schema: 'registry',
  entities: [Workflow, WorkflowVersion, Credential, Agent, Tool, AgentTool, WorkspaceSettingsRow],
  migrations: REGISTRY_MIGRATIONS,
});
