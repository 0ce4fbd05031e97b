import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@flowstack/messaging';
import { OrmDatabaseModule } from '@flowstack/orm';
import { registryOrmSettings } from './database/registry-orm';
import type { RegistryConfig } from './registry.config';
import { WorkflowsModule } from './workflows/workflows.module';
import { AgentsModule } from './agents/agents.module';
import { CredentialsModule } from './credentials/credentials.module';
import { ToolsModule } from './tools/tools.module';
import { WorkspaceSettingsModule } from './settings/workspace-settings.module';

/** The registry service: workflows and their versions, credentials, agents and tools; answers `registry.*` over NATS. */
@Module({})
export class AppModule {}

/** Builds the service's root module from its settings (tests pass their own database and namespace). */
export function createAppModule(config: RegistryConfig): DynamicModule {
  return {
    module: AppModule,
    imports: [
      MessagingModule.forRoot({
        serviceName: 'registry',
        natsUrl: config.natsUrl,
        namespace: config.namespace,
        streams: ['EVENTS'],
      }),
      OrmDatabaseModule.forRoot(registryOrmSettings(config)),
      WorkflowsModule.forRoot({ versionCacheSize: config.versionCacheSize }),
      CredentialsModule.forRoot(config.keyring),
      AgentsModule,
      ToolsModule,
      WorkspaceSettingsModule,
    ],
  };
}
