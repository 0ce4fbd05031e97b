import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  Rpc,
  forkExecutionSchema,
  parseRequest,
  retryExecutionSchema,
  type ExecutionView,
  type ForkExecutionResult,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { ExecutionValuesResolver } from './execution-values.resolver';

/**
 * `POST /api/v1/executions/{id}/retry` (200, the execution's view, running again) and `POST
 * /api/v1/executions/{id}/fork` (202, the new execution's id). Editors and admins.
 */
@Controller('api/v1/executions')
export class ExecutionRerunController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly values: ExecutionValuesResolver,
  ) {}

  /** Runs a failed execution again from its failed nodes, keeping what succeeded; 409 unless `failed`. */
  @Post(':id/retry')
  @HttpCode(200)
  async retry(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ExecutionView> {
    const { reason } = parseRequest(retryExecutionSchema, body ?? {});
    const view = await this.rpc.request<ExecutionView>(
      Rpc.executionControl.retry,
      { executionId: id, ...(reason === undefined ? {} : { reason }) },
      ctx,
    );
    return this.values.resolveView(view, ctx.workspaceId);
  }

  /** Starts a new execution of the same pinned version from `fromNodeId`, copying the results before it. */
  @Post(':id/fork')
  @HttpCode(202)
  fork(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ForkExecutionResult> {
    const request = parseRequest(forkExecutionSchema, body);
    return this.rpc.request<ForkExecutionResult>(Rpc.executionControl.fork, { executionId: id, ...request }, ctx);
  }
}
