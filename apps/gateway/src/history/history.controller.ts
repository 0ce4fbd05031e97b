import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import {
  Rpc,
  executionHistoryQuerySchema,
  parseRequest,
  workflowExecutionsQuerySchema,
  type ExecutionDeletedView,
  type ExecutionListItem,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/**
 * The execution history, served by the orchestrator's history projection: the workspace's runs,
 * newest first, filtered and keyset-paged; a run deleted from history is hidden (its events stay).
 * Queries are validated here (problem+json with `query.<field>` paths) and again by the orchestrator.
 */
@Controller('api/v1')
export class HistoryController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('executions')
  list(@Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext): Promise<Page<ExecutionListItem>> {
    parseRequest(executionHistoryQuerySchema, query, 'query');
    return this.rpc.request(Rpc.executionHistory.list, query, ctx);
  }

  /** One workflow's runs: 404 when the workflow is not the caller's workspace's. */
  @Get('workflows/:id/executions')
  async listOfWorkflow(
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Ctx() ctx: RequestContext,
  ): Promise<Page<ExecutionListItem>> {
    parseRequest(workflowExecutionsQuerySchema, query, 'query');
    await this.rpc.request(Rpc.registry.workflowGet, { id }, ctx);
    return this.rpc.request(Rpc.executionHistory.list, { ...query, workflowId: id }, ctx);
  }

  /** Hides a finished run from the lists (204); its events stay, `GET /executions/{id}` shows `deletedAt`. */
  @Delete('executions/:id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request<ExecutionDeletedView>(Rpc.executionHistory.delete, { executionId: id }, ctx);
  }
}
