import type { RequestContext } from '@flowstack/contracts';
import type { ExecutionEvent } from '@flowstack/contracts';
import type { NewEvent, StoredEvent } from '@flowstack/event-store';

/**
 * Stored event -> domain event. Every execution event is at schema version 1 today; when a shape
 * changes, the upcaster for the old version goes here, so history is never rewritten.
 */
export const toExecutionEvent = (stored: StoredEvent): ExecutionEvent =>
  ({ type: stored.type, data: stored.data }) as ExecutionEvent;

/** Domain event -> event to append, carrying who caused it and the trace it belongs to. */
export const toNewEvent = (event: ExecutionEvent, ctx: RequestContext, causationId?: string): NewEvent => ({
  type: event.type,
  schemaVersion: 1,
  data: event.data,
  metadata: {
    correlationId: ctx.correlationId,
    ...(causationId ? { causationId } : {}),
    actor: ctx.actor,
    ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
  },
});
