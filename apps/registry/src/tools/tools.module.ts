import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { ToolsHandlers } from './tools.handlers';
import { ToolsService } from './tools.service';
import { WorkspaceSettingsModule } from '../settings/workspace-settings.module';
import { ToolRunsService } from './tool-runs.service';

/** Registered tools over NATS. */
@Module({
  imports: [AuditModule, WorkspaceSettingsModule],
  controllers: [ToolsHandlers],
  providers: [ToolsService, ToolRunsService],
})
export class ToolsModule {}
