import { Injectable, type OnModuleInit } from '@nestjs/common';
import { createWorkflowSchema, listQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import { RpcServer } from '@flowstack/messaging';
import { readScope, writeScope } from '../common/workspace-scope';
import {
  updateWorkflowRequestSchema,
  workflowIdSchema,
  workflowVersionGetSchema,
  workflowVersionsListSchema,
} from './workflows.requests';
import { WorkflowsService } from './workflows.service';

/** Answers the `registry.workflow.*` subjects: scope from the headers, parse the body, call. */
@Injectable()
export class WorkflowsHandlers implements OnModuleInit {
  constructor(
    private readonly rpc: RpcServer,
    private readonly workflows: WorkflowsService,
  ) {}

  onModuleInit(): void {
    const { registry } = Rpc;
    this.rpc.handle(registry.workflowCreate, (body: unknown, ctx) =>
      this.workflows.create(writeScope(ctx), parseRequest(createWorkflowSchema, body)),
    );
    this.rpc.handle(registry.workflowGet, (body: unknown, ctx) =>
      this.workflows.get(readScope(ctx), parseRequest(workflowIdSchema, body).id),
    );
    this.rpc.handle(registry.workflowList, (body: unknown, ctx) =>
      this.workflows.list(readScope(ctx), parseRequest(listQuerySchema, body)),
    );
    this.rpc.handle(registry.workflowUpdate, (body: unknown, ctx) => {
      const { id, ...changes } = parseRequest(updateWorkflowRequestSchema, body);
      return this.workflows.update(writeScope(ctx), id, changes);
    });
    this.rpc.handle(registry.workflowDelete, (body: unknown, ctx) =>
      this.workflows.remove(writeScope(ctx), parseRequest(workflowIdSchema, body).id),
    );
    this.rpc.handle(registry.workflowVersionGet, (body: unknown, ctx) => {
      const { workflowId, version } = parseRequest(workflowVersionGetSchema, body);
      return this.workflows.getVersion(readScope(ctx), workflowId, version);
    });
    this.rpc.handle(registry.workflowVersionsList, (body: unknown, ctx) =>
      this.workflows.listVersions(readScope(ctx), parseRequest(workflowVersionsListSchema, body)),
    );
  }
}
