import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AgentToolsService } from './agent-tools.service';
import { AgentsHandlers } from './agents.handlers';
import { AgentsService } from './agents.service';

/** Agents and the tools linked to them over NATS. */
@Module({
  imports: [AuditModule],
  controllers: [AgentsHandlers],
  providers: [AgentsService, AgentToolsService],
})
export class AgentsModule {}
