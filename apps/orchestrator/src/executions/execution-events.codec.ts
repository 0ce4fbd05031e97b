import type { RequestContext } from '@flowstack/contracts';
import type { ExecutionEvent } from '@flowstack/contracts';
import type { NewEvent, StoredEvent } from '@flowstack/event-store';

/** The schema version every execution event is written at today. */
export const EXECUTION_EVENT_VERSION = 1;

type EventData = Record<string, unknown>;

/**
 * Upcasting, the one place old shapes become today's (history is never rewritten):
 *
 * - `UPCASTERS[type][n]` turns the data of schema version `n` into version `n + 1`; a reader applies
 *   them in a chain up to `EXECUTION_EVENT_VERSION`. A breaking change bumps the version and adds
 *   one function here (none yet: every type is at version 1).
 * - `V1_SHAPES[type]` normalizes version-1 data recorded before a field became required (fields
 *   were added to version 1 as optional-on-read, see contracts `execution-events.ts`). Each returns
 *   the data unchanged when it already has today's shape.
 *
 * Every reader goes through `toExecutionEvent` (the decider's fold, the history projection).
 */
const UPCASTERS: Readonly<Record<string, Readonly<Record<number, (data: EventData) => EventData>>>> = {};

const V1_SHAPES: Readonly<Record<string, (data: EventData) => EventData>> = {
  // Recorded before triggers existed: such runs were started over the API.
  ExecutionStarted: (d) => (d.trigger && typeof d.trigger === 'object' ? d : { ...d, trigger: { type: 'api' } }),
  // Recorded before retry policies: a failed attempt was final.
  NodeFailed: (d) => (typeof d.willRetry === 'boolean' ? d : { ...d, willRetry: false }),
};

/**
 * The event's data at today's shape. A version newer than this code (written by a newer replica
 * during a rolling deploy) passes unchanged: readers must not stall on it.
 */
export function upcastData(type: string, schemaVersion: number, data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  let d = data as EventData;
  let version = Math.max(schemaVersion, 1);
  if (version === 1 && V1_SHAPES[type]) d = V1_SHAPES[type](d);
  for (; version < EXECUTION_EVENT_VERSION; version++) {
    const up = UPCASTERS[type]?.[version];
    if (up) d = up(d);
  }
  return d;
}

/** Stored event -> domain event at today's shape (see `upcastData`). */
export const toExecutionEvent = (stored: StoredEvent): ExecutionEvent =>
  ({ type: stored.type, data: upcastData(stored.type, stored.schemaVersion, stored.data) }) as ExecutionEvent;

/** The history projection's name for the same mapping. */
export const upcastExecutionEvent = toExecutionEvent;

/**
 * Domain event -> event to append, carrying who caused it, the trace it belongs to and, when it
 * may settle credit holds (`settlesCredits`), the mark that routes it to billing's settlement.
 */
export const toNewEvent = (event: ExecutionEvent, ctx: RequestContext, causationId?: string, settles = false): NewEvent => ({
  type: event.type,
  schemaVersion: EXECUTION_EVENT_VERSION,
  data: event.data,
  metadata: {
    correlationId: ctx.correlationId,
    ...(causationId ? { causationId } : {}),
    actor: ctx.actor,
    ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
    ...(settles ? { settlesCredits: true } : {}),
  },
});
