import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AUDIT_STREAM_CATEGORIES, type AuditPage, type AuditQuery } from '@flowstack/contracts';

interface AuditRow {
  global_position: string;
  event_id: string;
  type: string;
  stream_id: string;
  data: Record<string, unknown>;
  metadata: { actor?: { id: string; type: string }; correlationId?: string };
  recorded_at: Date | string;
}

const CATEGORY_PATTERN = `^(${AUDIT_STREAM_CATEGORIES.join('|')})-`;

/**
 * Reads one workspace's audit trail from the shared event log (the `event_store.events` table
 * every service appends to in the transaction of each change): identity's, the registry's, the
 * scheduler's and billing's ledger streams, never executions' (their events are `GET /executions/{id}/events`).
 * Newest first, keyset-paged on the global position.
 */
@Injectable()
export class AuditLogReader {
  constructor(private readonly em: EntityManager) {}

  async list(workspaceId: string, query: AuditQuery): Promise<AuditPage> {
    const rows = await this.em.fork().execute<AuditRow[]>(
      `select global_position, event_id, type, stream_id, data, metadata, recorded_at
       from event_store.events
       where workspace_id = ? and stream_id ~ ?
         and (?::text is null or type = ?)
         and (?::text is null or metadata->'actor'->>'id' = ?)
         and (?::timestamptz is null or recorded_at >= ?::timestamptz)
         and (?::timestamptz is null or recorded_at < ?::timestamptz)
         and (?::bigint is null or global_position < ?::bigint)
       order by global_position desc
       limit ?`,
      [
        workspaceId,
        CATEGORY_PATTERN,
        ...twice(query.type),
        ...twice(query.actor),
        ...twice(query.from),
        ...twice(query.to),
        ...twice(query.cursor),
        query.limit + 1,
      ],
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({
        id: r.event_id,
        type: r.type,
        stream: r.stream_id,
        data: r.data,
        actor: r.metadata.actor ?? null,
        correlationId: r.metadata.correlationId ?? null,
        recordedAt: new Date(r.recorded_at).toISOString(),
      })),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1].global_position) : null,
    };
  }
}

const twice = (value: string | undefined): [string | null, string | null] => [value ?? null, value ?? null];
