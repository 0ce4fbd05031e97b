import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { MessagingModule, valueStoreProvider } from '@flowstack/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from './gateway.config';
import { RolesGuard } from './access/roles.guard';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeyStrategy } from './auth/api-key.strategy';
import { ApiKeyVerifier } from './auth/api-key.verifier';
import { ExecutionStartGuard } from './rate-limit/execution-start.guard';
import { ApiKeyLimiter } from './rate-limit/api-key-limiter';
import { ApiKeyUsage } from './rate-limit/api-key-usage';
import { AuthController } from './auth/auth.controller';
import { OidcController } from './auth/oidc.controller';
import { AuditController } from './audit/audit.controller';
import { AuthFeed } from './auth/auth-feed.cache';
import { JwtAuthGuard } from './auth/auth.guard';
import { JwtStrategy } from './auth/jwt.strategy';
import { PrincipalVerifier } from './auth/principal.verifier';
import { ExecutionsController } from './executions/executions.controller';
import { ExecutionControlController } from './executions/execution-control.controller';
import { ExecutionRerunController } from './executions/execution-rerun.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DocsController } from './docs/docs.controller';
import { ExecutionValuesController } from './executions/execution-values.controller';
import { ExecutionValuesResolver } from './executions/execution-values.resolver';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { AgentChunksHub } from './live/agent-chunks.hub';
import { ExecutionEventsHub } from './live/execution-events.hub';
import { ExecutionSocketGateway } from './live/execution-socket.gateway';
import { SocketAuthenticator } from './live/socket-authenticator';
import { SocketSessions } from './live/socket-sessions';
import { InvitationsController, WorkspacesController } from './workspaces/workspaces.controller';
import { SchedulesController } from './schedules/schedules.controller';
import { NotificationsController, TriggersController } from './triggers/triggers.controller';
import { CreditsController } from './credits/credits.controller';
import { UsageController } from './credits/usage.controller';
import { ExecutionExportController } from './executions/execution-export.controller';
import { HistoryController } from './history/history.controller';
import { HooksController, WebhooksController } from './webhooks/webhooks.controller';
import { WorkflowsController } from './workflows/workflows.controller';
import { WebModule } from './web/web.module';
import { AgentsController } from './agents/agents.controller';
import { AgentInvokeController } from './agents/agent-invoke.controller';
import { CredentialsController } from './agents/credentials.controller';
import { ToolsController } from './agents/tools.controller';
import { WorkspaceSettingsController } from './workspaces/workspace-settings.controller';
import { ToolRunsController } from './agents/tool-runs.controller';

/** The only public entry: REST under /api/v1 and WebSocket under /ws, all forwarded over NATS. */
@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        MessagingModule.forRoot({
          serviceName: 'gateway',
          natsUrl: config.natsUrl,
          namespace: config.namespace,
          streams: ['EVENTS'],
        }),
        PassportModule,
        WebModule,
      ],
      controllers: [
        AuthController,
        OidcController,
        AuditController,
        WorkflowsController,
        CredentialsController,
        AgentsController,
        AgentInvokeController,
        ToolsController,
        ToolRunsController,
        WorkspacesController,
        WorkspaceSettingsController,
        InvitationsController,
        ApiKeysController,
        ExecutionsController,
        ExecutionControlController,
        ExecutionRerunController,
        ExecutionValuesController,
        DeadLettersController,
        SchedulesController,
        TriggersController,
        NotificationsController,
        CreditsController,
        UsageController,
        ExecutionExportController,
        HistoryController,
        WebhooksController,
        HooksController,
        HealthController,
        MetricsController,
        DocsController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        valueStoreProvider,
        ExecutionValuesResolver,
        AuthFeed,
        PrincipalVerifier,
        JwtStrategy,
        ApiKeyVerifier,
        ApiKeyStrategy,
        ApiKeyLimiter,
        ApiKeyUsage,
        // The one guard: every route needs a token unless it is marked @Public().
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        // Then the role the route needs in the active workspace (ACCESS_POLICY).
        { provide: APP_GUARD, useClass: RolesGuard },
        // Then, on the routes that start executions, the workspace's start limit.
        { provide: APP_GUARD, useClass: ExecutionStartGuard },
        ExecutionEventsHub,
        AgentChunksHub,
        SocketAuthenticator,
        SocketSessions,
        ExecutionSocketGateway,
      ],
    };
  }
}
