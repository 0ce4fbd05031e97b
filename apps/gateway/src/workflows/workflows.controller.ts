import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  Rpc,
  createWorkflowSchema,
  listQuerySchema,
  parseRequest,
  startExecutionSchema,
  updateWorkflowSchema,
  versionsQuerySchema,
  workflowVersionParamsSchema,
  type Page,
  type RequestContext,
  type WorkflowVersionSummary,
  type WorkflowVersionView,
  type WorkflowView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/workflows`: CRUD over the registry; every save makes a new immutable version. */
@Controller('api/v1/workflows')
export class WorkflowsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkflowView> {
    return this.rpc.request(Rpc.registry.workflowCreate, parseRequest(createWorkflowSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<WorkflowView>> {
    return this.rpc.request(Rpc.registry.workflowList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<WorkflowView> {
    return this.rpc.request(Rpc.registry.workflowGet, { id }, ctx);
  }

  /** The workflow's saved versions, newest first, without graphs; `nextCursor` pages on. */
  @Get(':id/versions')
  versions(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<WorkflowVersionSummary>> {
    const { limit, cursor } = parseRequest(versionsQuerySchema, query);
    return this.rpc.request(Rpc.registry.workflowVersionsList, { workflowId: id, limit, cursor }, ctx);
  }

  /** One saved version with its graph, exactly as an execution pinned to it runs it. */
  @Get(':id/versions/:version')
  version(@Param('id') id: string, @Param('version') version: string, @Ctx() ctx: RequestContext): Promise<WorkflowVersionView> {
    const params = parseRequest(workflowVersionParamsSchema, { version });
    return this.rpc.request(Rpc.registry.workflowVersionGet, { workflowId: id, version: params.version }, ctx);
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkflowView> {
    return this.rpc.request(Rpc.registry.workflowUpdate, { ...parseRequest(updateWorkflowSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.registry.workflowDelete, { id }, ctx);
  }

  /**
   * Starts a run: answers 202 as soon as the execution is recorded; watch it on the WebSocket. The
   * trigger is `manual` for a person signed in (a session token), `api` for an API key.
   */
  @Post(':id/executions')
  @HttpCode(202)
  start(
    @Param('id') id: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
  ): Promise<{ executionId: string; status: string }> {
    const { input, version } = parseRequest(startExecutionSchema, body);
    return this.rpc.request(
      Rpc.orchestrator.executionStart,
      { workflowId: id, version, input, trigger: { type: ctx.actor.type === 'user' ? 'manual' : 'api', by: ctx.actor.id } },
      ctx,
    );
  }
}
