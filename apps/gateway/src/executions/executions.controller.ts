import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  Rpc,
  eventsQuerySchema,
  parseRequest,
  type ExecutionView,
  type Page,
  type RequestContext,
  type StoredEventView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { ExecutionValuesResolver } from './execution-values.resolver';

/** `/api/v1/executions`: state folded from the event log, and the log itself (the audit trail). */
@Controller('api/v1/executions')
export class ExecutionsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly values: ExecutionValuesResolver,
  ) {}

  /** The execution with its out-of-band values resolved, up to a response budget (see the resolver). */
  @Get(':id')
  async get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ExecutionView> {
    const view = await this.rpc.request<ExecutionView>(Rpc.orchestrator.executionGet, { executionId: id }, ctx);
    return this.values.resolveView(view, ctx.workspaceId);
  }

  @Get(':id/events')
  events(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<StoredEventView>> {
    const { limit, cursor, fromSeq } = parseRequest(eventsQuerySchema, query);
    const afterSeq = cursor !== undefined ? Number(cursor) : (fromSeq ?? 0);
    return this.rpc.request(
      Rpc.orchestrator.executionEvents,
      { executionId: id, afterSeq: Number.isInteger(afterSeq) ? afterSeq : 0, limit },
      ctx,
    );
  }
}
