import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { eventSubject, Header, type Namespace } from '@flowstack/contracts';
import { decodeJson, encodeJson } from '@flowstack/messaging';
import type { StoredEvent } from './event.types';
import type { EventPublisher, OutboundMessage } from './event-publisher';

/** `execution-<uuid>` -> `execution`: the part of a stream id before its first `-`. */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0];

/**
 * Publishes stored events to the EVENTS stream (`events.<workspaceId>.<category>.<EventType>`, and
 * for execution events `.<settles|none>` from `metadata.settlesCredits`) with
 * `Nats-Msg-Id` = event id, and the messages sent alongside them (node tasks for WORK,
 * `Nats-Msg-Id` = task id). The tasks go first: the events are committed already, nothing
 * orders WORK after EVENTS, and a task that waits behind its events' storing and fan-out to their
 * consumers makes every remote step wait as well. Publishing the same event again inside JetStream's duplicate window is
 * dropped by the server, which is what makes fast path + relay safe.
 *
 * `publish` resolves once JetStream acked every message and rejects if any publish failed; some
 * messages may then be stored already, so the caller retries the whole batch (duplicates dropped).
 */
export class JetStreamEventPublisher implements EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly ns: Namespace,
  ) {}

  async publish(events: StoredEvent[], alongside: readonly OutboundMessage[] = []): Promise<void> {
    const messages = [...alongside, ...events.map((e) => this.eventMessage(e))];
    // Sent back to back on one connection, so JetStream stores the events in stream order; awaiting
    // the acks together costs one round trip for the whole batch instead of one per message.
    await Promise.all(
      messages.map((m) => this.js.publish(m.subject, encodeJson(m.data), { msgID: m.msgId, headers: toNatsHeaders(m.headers) })),
    );
  }

  private eventMessage(e: StoredEvent): OutboundMessage {
    return {
      subject: eventSubject(this.ns, e.workspaceId, streamCategory(e.streamId), e.type, e.metadata.settlesCredits === true),
      msgId: e.eventId,
      data: e,
      headers: {
        [Header.workspaceId]: e.workspaceId,
        [Header.streamId]: e.streamId,
        [Header.streamPosition]: String(e.streamPosition),
        [Header.eventType]: e.type,
        ...(typeof e.metadata.correlationId === 'string' ? { [Header.correlationId]: e.metadata.correlationId } : {}),
        ...(typeof e.metadata.traceparent === 'string' ? { [Header.traceparent]: e.metadata.traceparent } : {}),
      },
    };
  }
}

function toNatsHeaders(values: Record<string, string> | undefined): MsgHdrs | undefined {
  if (!values) return undefined;
  const h = natsHeaders();
  for (const [k, v] of Object.entries(values)) h.set(k, v);
  return h;
}

/** Decodes an EVENTS message body back into a `StoredEvent` (with `recordedAt` as a Date again). */
export function decodeStoredEvent<T = unknown>(bytes: Uint8Array): StoredEvent<T> {
  const raw = decodeJson<Omit<StoredEvent<T>, 'recordedAt'> & { recordedAt: string }>(bytes);
  return { ...raw, recordedAt: new Date(raw.recordedAt) };
}
