import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { ToolsHandlers } from './tools.handlers';
import { ToolsService } from './tools.service';
import { WorkspaceSettingsModule } from '../settings/workspace-settings.module';

/** Registered tools over NATS. */
@Module({ imports: [AuditModule, WorkspaceSettingsModule], controllers: [ToolsHandlers], providers: [ToolsService] })
export class ToolsModule {}
