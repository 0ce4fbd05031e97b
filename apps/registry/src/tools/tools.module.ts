import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { ToolsHandlers } from './tools.handlers';
import { ToolsService } from './tools.service';

/** Registered tools over NATS. */
@Module({ imports: [AuditModule], controllers: [ToolsHandlers], providers: [ToolsService] })
export class ToolsModule {}
