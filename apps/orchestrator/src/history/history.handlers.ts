import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import {
  ExecutionHistoryRpc,
  FlowstackError,
  executionHistoryQuerySchema,
  executionStreamId,
  notFound,
  parseRequest,
  roleSatisfies,
  type ExecutionDeletedView,
  type ExecutionListItem,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { StreamVersionConflict, type PostgresEventStore } from '@flowstack/event-store';
import type { RpcContext } from '@flowstack/messaging';
import { EVENT_STORE } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { toNewEvent } from '../executions/execution-events.codec';
import { HistoryProjection } from './history.projection';
import { HistoryStore } from './history.store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const deletePayloadSchema = z.strictObject({ executionId: z.string() });

/** The weakest role that may delete a run from history (the gateway's policy says the same). */
export const DELETE_ROLE = 'editor';
/** How long a delete waits for the projection to apply it, so the caller's next list no longer shows it. */
const DELETE_VISIBLE_WITHIN_MS = 2_000;

/**
 * `orchestrator.history.list` and `orchestrator.history.delete`: the execution history, from the
 * history projection, scoped by the caller's workspace.
 */
@Controller()
export class HistoryHandlers {
  constructor(
    private readonly history: HistoryStore,
    private readonly projection: HistoryProjection,
    private readonly executions: ExecutionHandler,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  @MessagePattern(ExecutionHistoryRpc.list)
  onList(@Payload() p: unknown, @Ctx() ctx: RpcContext): Promise<Page<ExecutionListItem>> {
    return this.history.list(ctx.requestContext.workspaceId, parseRequest(executionHistoryQuerySchema, p, 'query'));
  }

  @MessagePattern(ExecutionHistoryRpc.delete)
  onDelete(@Payload() p: unknown, @Ctx() ctx: RpcContext): Promise<ExecutionDeletedView> {
    return this.delete(parseRequest(deletePayloadSchema, p).executionId, ctx.requestContext);
  }

  /**
   * Marks a finished run deleted: appends `ExecutionDeleted {by, deletedAt}` to its stream (nothing
   * is removed) and answers once the projection hides it (or after 2 s). Deleting it again answers
   * the first deletion (no second event). A run still active answers 409: cancel it first.
   */
  async delete(executionId: string, ctx: RequestContext): Promise<ExecutionDeletedView> {
    if (!UUID.test(executionId)) throw notFound('execution');
    if (!roleSatisfies(ctx.actor.role, DELETE_ROLE)) {
      throw new FlowstackError('forbidden', `deleting an execution needs the ${DELETE_ROLE} role or a stronger one`);
    }
    const streamId = executionStreamId(executionId);
    for (let attempt = 1; ; attempt++) {
      const { state, position } = await this.executions.load(streamId, ctx.workspaceId);
      if (state.status === 'pending') throw notFound('execution');
      if (state.deletedAt !== undefined) return { id: executionId, deletedAt: state.deletedAt };
      if (state.status === 'running' || state.status === 'awaiting_approval') {
        throw new FlowstackError('conflict', `execution ${executionId} is ${state.status}: cancel it before deleting it`);
      }
      const deletedAt = new Date().toISOString();
      try {
        const { events } = await this.store.append(
          streamId,
          ctx.workspaceId,
          [toNewEvent({ type: 'ExecutionDeleted', data: { by: ctx.actor.id, deletedAt } }, ctx)],
          { expectedPosition: position },
        );
        await this.visible(events[0]);
        return { id: executionId, deletedAt };
      } catch (e) {
        // A concurrent append (a second delete): decide again on the new state.
        if (!(e instanceof StreamVersionConflict) || attempt >= 5) throw e;
      }
    }
  }

  private async visible(event: Parameters<HistoryProjection['covers']>[0]): Promise<void> {
    const deadline = Date.now() + DELETE_VISIBLE_WITHIN_MS;
    while (Date.now() < deadline) {
      if (await this.projection.covers(event)) return;
      await this.projection.runOnce();
      if (await this.projection.covers(event)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
