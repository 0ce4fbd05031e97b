import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  ExecutionHistoryRpc,
  executionStreamId,
  notFound,
  type ExportEventsPayload,
  type ExportedEvent,
  type Page,
} from '@flowstack/contracts';
import type { PostgresEventStore } from '@flowstack/event-store';
import { ValueStore, type RpcContext } from '@flowstack/messaging';
import { EVENT_STORE } from '../orchestrator.config';
import { pageWithinBudget } from '../executions/reply-budget';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `orchestrator.history.exportEvents`: one execution's stream as stored (event ids and schema
 * versions included, no upcasting), page by page, for `GET /executions/{id}/export`. Scoped by the
 * caller's workspace: another workspace's execution is 404, like every read.
 */
@Controller()
export class ExportEventsHandlers {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(ValueStore) private readonly values: ValueStore,
  ) {}

  @MessagePattern(ExecutionHistoryRpc.exportEvents)
  async page(@Payload() p: ExportEventsPayload, @Ctx() ctx: RpcContext): Promise<Page<ExportedEvent>> {
    const { workspaceId } = ctx.requestContext;
    if (typeof p?.executionId !== 'string' || !UUID.test(p.executionId)) throw notFound('execution');
    const streamId = executionStreamId(p.executionId.toLowerCase());
    const limit = Math.min(Math.max(Number.isInteger(p.limit) ? p.limit! : 500, 1), 1000);
    const afterPosition = Number.isInteger(p.afterSeq) && p.afterSeq! > 0 ? p.afterSeq! : 0;
    const events = await this.store.readStream(streamId, { workspaceId, afterPosition, limit });
    if (events.length === 0 && (await this.store.readStream(streamId, { workspaceId, limit: 1 })).length === 0) {
      throw notFound('execution');
    }
    const exported: ExportedEvent[] = events.map((e) => ({
      seq: e.streamPosition,
      eventId: e.eventId,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt.toISOString(),
    }));
    // The events endpoint's reply budget: an oversized event's data becomes a reference.
    const { items, cut } = await pageWithinBudget(exported, (encoded, value) => this.values.put(workspaceId, encoded, value));
    const page = items as unknown as ExportedEvent[];
    return { items: page, nextCursor: cut || events.length === limit ? String(page[page.length - 1].seq) : null };
  }
}
