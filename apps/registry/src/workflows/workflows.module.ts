import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { WorkflowsHandlers } from './workflows.handlers';
import { WorkflowsService } from './workflows.service';

/** Workflows and their immutable versions over NATS. */
@Module({
  imports: [AuditModule],
  providers: [WorkflowsService, WorkflowsHandlers],
})
export class WorkflowsModule {}
