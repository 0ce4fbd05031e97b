import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { WorkspaceSettingsHandlers } from './workspace-settings.handlers';
import { WorkspaceSettingsService } from './workspace-settings.service';

/** A workspace's switches over NATS; the tools module asks it before a python or shell tool is saved. */
@Module({
  imports: [AuditModule],
  controllers: [WorkspaceSettingsHandlers],
  providers: [WorkspaceSettingsService],
  exports: [WorkspaceSettingsService],
})
export class WorkspaceSettingsModule {}
