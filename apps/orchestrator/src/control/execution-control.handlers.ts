import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import {
  FlowstackError,
  Rpc,
  cancelExecutionSchema,
  decideApprovalSchema,
  notFound,
  parseRequest,
  roleSatisfies,
  type ExecutionView,
  type RequestContext,
} from '@flowstack/contracts';
import { ValueStore, type RpcContext } from '@flowstack/messaging';
import { ExecutionRuleViolation, toExecutionView, type ExecutionCommand, type ExecutionState } from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { viewWithinBudget } from '../executions/reply-budget';
import { CancelSignalPublisher } from './cancel-signal.publisher';
import { AdmissionStore } from '../admission/admission.store';
import { queuedView } from '../admission/queued.view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const cancelPayloadSchema = cancelExecutionSchema.extend({ executionId: z.string() });
const decidePayloadSchema = decideApprovalSchema.extend({ executionId: z.string() });

/** The weakest role that may cancel an execution (the gateway's route policy says the same). */
export const CANCEL_ROLE = 'editor';

/**
 * `orchestrator.execution.cancel` and `orchestrator.execution.approval.decide`: a person stops a
 * run or decides a human gate. Both answer with the execution's view after the decision. Tenancy
 * comes from the request context: another workspace's execution is not found.
 */
@Controller()
export class ExecutionControlHandlers {
  constructor(
    private readonly executions: ExecutionHandler,
    private readonly signals: CancelSignalPublisher,
    @Inject(ValueStore) private readonly values: ValueStore,
    private readonly queues: AdmissionStore,
  ) {}

  @MessagePattern(Rpc.executionControl.cancel)
  onCancel(@Payload() p: unknown, @Ctx() ctx: RpcContext) {
    return this.cancel(parseRequest(cancelPayloadSchema, p), ctx.requestContext);
  }

  @MessagePattern(Rpc.executionControl.decideApproval)
  onDecide(@Payload() p: unknown, @Ctx() ctx: RpcContext) {
    return this.decide(parseRequest(decidePayloadSchema, p), ctx.requestContext);
  }

  /**
   * Cancels the execution (editors and admins). A cancelled execution answers with its view again,
   * and the cancel signal goes out again (the first one is not stored: a process that died before
   * sending it leaves running attempts to finish into nothing, which a second cancel cuts short).
   */
  async cancel(p: z.output<typeof cancelPayloadSchema>, ctx: RequestContext): Promise<ExecutionView> {
    if (!UUID.test(p.executionId)) throw notFound('execution');
    if (!roleSatisfies(ctx.actor.role, CANCEL_ROLE)) {
      throw new FlowstackError('forbidden', `cancelling an execution needs the ${CANCEL_ROLE} role or a stronger one`);
    }
    const queued = await this.cancelQueued(p.executionId.toLowerCase(), ctx);
    if (queued) return queued;
    const state = await this.run(p.executionId, ctx, {
      type: 'CancelExecution',
      data: { by: ctx.actor.id, ...(p.reason === undefined ? {} : { reason: p.reason }), now: new Date().toISOString() },
    });
    if (state.status === 'cancelled') this.signals.publish(state);
    return this.view(state, ctx);
  }

  /**
   * A run still waiting for a slot of its workspace leaves the queue (it never started, so it
   * appends nothing); cancelling it again answers 409 like any finished run.
   */
  private async cancelQueued(executionId: string, ctx: RequestContext): Promise<ExecutionView | undefined> {
    const entry = await this.queues.entry(executionId, ctx.workspaceId);
    if (!entry || entry.state === 'running') return undefined;
    if (entry.state === 'cancelled' || !(await this.queues.cancelQueued(executionId, ctx.workspaceId, ctx.actor.id))) {
      // Taken out already, or started meanwhile: the stream decides (409 once it ended).
      const again = await this.queues.entry(executionId, ctx.workspaceId);
      if (again?.state === 'cancelled') throw new FlowstackError('conflict', `execution ${executionId} is cancelled`);
      return undefined;
    }
    const cancelled = await this.queues.entry(executionId, ctx.workspaceId);
    return cancelled && cancelled.state !== 'running' ? queuedView(executionId, cancelled) : undefined;
  }

  /** Decides a waiting human gate; the role rule is the gate's own (`approverRole`, default editor). */
  async decide(p: z.output<typeof decidePayloadSchema>, ctx: RequestContext): Promise<ExecutionView> {
    if (!UUID.test(p.executionId)) throw notFound('execution');
    const { nodeId, decision, comment } = p;
    const state = await this.run(p.executionId, ctx, {
      type: 'DecideApproval',
      data: {
        nodeId,
        decision,
        by: ctx.actor.id,
        ...(ctx.actor.role ? { role: ctx.actor.role } : {}),
        ...(comment === undefined ? {} : { comment }),
        now: new Date().toISOString(),
      },
    });
    return this.view(state, ctx);
  }

  private async run(executionId: string, ctx: RequestContext, command: ExecutionCommand): Promise<ExecutionState> {
    try {
      const { state } = await this.executions.handle(executionId, ctx.workspaceId, () => command, ctx);
      return state;
    } catch (e) {
      throw e instanceof ExecutionRuleViolation ? asRequestError(e) : e;
    }
  }

  private view(state: ExecutionState, ctx: RequestContext): Promise<ExecutionView> {
    if (state.status === 'pending') throw notFound('execution');
    return viewWithinBudget(toExecutionView(state), (encoded, value) => this.values.put(ctx.workspaceId, encoded, value));
  }
}

/** A refused cancel or decision as the caller sees it (the gateway maps codes to statuses). */
function asRequestError(e: ExecutionRuleViolation): FlowstackError {
  switch (e.code) {
    case 'execution_not_started':
      return notFound('execution');
    case 'unknown_node':
      return new FlowstackError('not_found', e.message);
    case 'approver_role_required':
      return new FlowstackError('forbidden', e.message);
    case 'execution_finished':
    case 'not_awaiting_approval':
      return new FlowstackError('conflict', e.message);
    default:
      return new FlowstackError('internal', e.message);
  }
}
