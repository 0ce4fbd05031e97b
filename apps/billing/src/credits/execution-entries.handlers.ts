import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import {
  creditsStreamId,
  executionCreditEntriesQuerySchema,
  parseRequest,
  Rpc,
  type ExecutionCreditEntry,
  type Page,
} from '@flowstack/contracts';
import { DEFAULT_SCHEMA } from '@flowstack/event-store';
import type { RpcContext } from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { readScope } from './credits-scope';

interface EntryRow {
  stream_position: number;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  recorded_at: Date;
}

/**
 * Answers `billing.credits.ofExecution`: the ledger events one execution caused (its holds,
 * refusals, charges, releases, expiries), oldest first, as stored, for the execution export. Read
 * from the caller's workspace's ledger only; another workspace's execution id finds nothing.
 *
 * Cost: the ledger stream is read in position order and filtered on `data.executionId`, so a page
 * reads the ledger from `afterPosition` (an index on the execution id is a later step).
 */
@Controller()
export class ExecutionEntriesHandlers {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @MessagePattern(Rpc.billing.creditsOfExecution)
  async list(@Payload() body: unknown, @Ctx() ctx: RpcContext): Promise<Page<ExecutionCreditEntry>> {
    const { workspaceId } = readScope(ctx.requestContext);
    const q = parseRequest(executionCreditEntriesQuerySchema, body ?? {});
    const { rows } = await this.pool.query<EntryRow>(
      `SELECT stream_position, event_id::text AS event_id, type, data, metadata, recorded_at FROM ${DEFAULT_SCHEMA}.events
       WHERE stream_id = $1 AND workspace_id = $2 AND stream_position > $3 AND data->>'executionId' = $4
       ORDER BY stream_position LIMIT $5`,
      [creditsStreamId(workspaceId), workspaceId, q.afterPosition, q.executionId, q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        position: r.stream_position,
        eventId: r.event_id,
        type: r.type,
        data: r.data,
        metadata: r.metadata ?? {},
        recordedAt: r.recorded_at.toISOString(),
      })),
      nextCursor: rows.length > q.limit ? String(page[page.length - 1].stream_position) : null,
    };
  }
}
