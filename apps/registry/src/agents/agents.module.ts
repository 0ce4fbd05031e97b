import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentToolsService } from './agent-tools.service';
import { AgentsHandlers } from './agents.handlers';
import { AgentsService } from './agents.service';

/** Agents and the tools linked to them over NATS. */
@Module({
  imports: [AuditModule],
  controllers: [AgentsHandlers],
  providers: [AgentsService, AgentToolsService, AgentRuntimeService],
})
export class AgentsModule {}
