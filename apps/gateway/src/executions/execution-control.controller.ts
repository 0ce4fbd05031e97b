import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  Rpc,
  cancelExecutionSchema,
  decideApprovalSchema,
  parseRequest,
  type ExecutionView,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { ExecutionValuesResolver } from './execution-values.resolver';

/**
 * `POST /api/v1/executions/{id}/cancel` (editors and admins) and `POST
 * /api/v1/executions/{id}/approvals` (the gate's approver role, checked by the orchestrator
 * against the gate's config). Both answer 200 with the execution's view after the decision.
 */
@Controller('api/v1/executions')
export class ExecutionControlController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly values: ExecutionValuesResolver,
  ) {}

  /** Cancels a running or gate-waiting execution; a cancelled one answers its view again (idempotent). */
  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ExecutionView> {
    const { reason } = parseRequest(cancelExecutionSchema, body);
    const view = await this.rpc.request<ExecutionView>(
      Rpc.executionControl.cancel,
      { executionId: id, ...(reason === undefined ? {} : { reason }) },
      ctx,
    );
    return this.values.resolveView(view, ctx.workspaceId);
  }

  /** Decides a waiting `human_gate` (`approved`/`rejected`, with an optional comment). */
  @Post(':id/approvals')
  @HttpCode(200)
  async decide(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ExecutionView> {
    const request = parseRequest(decideApprovalSchema, body);
    const view = await this.rpc.request<ExecutionView>(Rpc.executionControl.decideApproval, { executionId: id, ...request }, ctx);
    return this.values.resolveView(view, ctx.workspaceId);
  }
}
