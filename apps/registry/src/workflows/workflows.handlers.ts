import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createWorkflowSchema, listQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import {
  updateWorkflowRequestSchema,
  workflowIdSchema,
  workflowVersionGetSchema,
  workflowVersionsListSchema,
} from './workflows.requests';
import { WorkflowsService } from './workflows.service';

/** Answers the `registry.workflow.*` subjects: scope from the headers, parse the body, call. */
@Controller()
export class WorkflowsHandlers {
  constructor(private readonly workflows: WorkflowsService) {}

  @MessagePattern(Rpc.registry.workflowCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workflows.create(writeScope(ctx.requestContext, 'workflows'), parseRequest(createWorkflowSchema, body));
  }

  @MessagePattern(Rpc.registry.workflowGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workflows.get(readScope(ctx.requestContext), parseRequest(workflowIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.workflowList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workflows.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.registry.workflowUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = parseRequest(updateWorkflowRequestSchema, body);
    return this.workflows.update(writeScope(ctx.requestContext, 'workflows'), id, changes);
  }

  @MessagePattern(Rpc.registry.workflowDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workflows.remove(writeScope(ctx.requestContext, 'workflows'), parseRequest(workflowIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.workflowVersionGet)
  getVersion(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { workflowId, version } = parseRequest(workflowVersionGetSchema, body);
    return this.workflows.getVersion(readScope(ctx.requestContext), workflowId, version);
  }

  @MessagePattern(Rpc.registry.workflowVersionsList)
  listVersions(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workflows.listVersions(readScope(ctx.requestContext), parseRequest(workflowVersionsListSchema, body));
  }
}
