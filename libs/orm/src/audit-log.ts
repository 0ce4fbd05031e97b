import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '@flowstack/contracts';
import type { ExpectedPosition, NewEvent, PostgresEventStore, StoredEvent } from '@flowstack/event-store';
import { ormTransactionClient } from './orm-transaction.client';

/** Injection token of the `PostgresEventStore` that `AuditModule` provides to `AuditLog`. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/** Appends events to one stream inside the surrounding transaction. */
export type RecordEvents = (
  streamId: string,
  workspaceId: string,
  events: NewEvent[],
  expectedPosition: ExpectedPosition,
) => Promise<void>;

/**
 * The one seam through which this service changes state: a MikroORM transaction in which every
 * change also appends its domain events (ARCHITECTURE.md section 3), so the audit log can never
 * miss a change nor record one that rolled back. Events are published to JetStream only after
 * COMMIT; the event store's relay publishes any that a crash in between left behind.
 */
@Injectable()
export class AuditLog {
  constructor(
    private readonly em: EntityManager,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  async transaction<T>(ctx: RequestContext, work: (em: EntityManager, record: RecordEvents) => Promise<T>): Promise<T> {
    const appended: StoredEvent[] = [];
    const result = await this.em.transactional(async (em) => {
      const client = ormTransactionClient(em);
      const record: RecordEvents = async (streamId, workspaceId, events, expectedPosition) => {
        const withContext = events.map((e) => ({ ...e, metadata: { ...metadataOf(ctx), ...e.metadata } }));
        const { events: stored } = await this.store.append(streamId, workspaceId, withContext, { expectedPosition, client });
        appended.push(...stored.map(withDateRecordedAt));
      };
      return work(em, record);
    });
    await this.store.publish(appended);
    return result;
  }
}

const metadataOf = (ctx: RequestContext): NonNullable<NewEvent['metadata']> => ({
  correlationId: ctx.correlationId,
  actor: ctx.actor,
  ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
});

/**
 * MikroORM's pool hands timestamps back as Postgres text (`2026-01-02 03:04:05.678+00`), so an
 * event appended through its transaction carries `recordedAt` as a string despite the type; made a
 * Date again here so the published JSON has the same ISO form as events the store wrote itself.
 */
const withDateRecordedAt = (event: StoredEvent): StoredEvent => {
  const recordedAt: unknown = event.recordedAt;
  return recordedAt instanceof Date ? event : { ...event, recordedAt: new Date(String(recordedAt)) };
};
