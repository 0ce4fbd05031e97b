import type { StoredEvent } from './event.types';

/**
 * Sends committed events to the message bus. Implementations must be idempotent per event id
 * (the fast path and the relay both publish every event), and must resolve only once the bus has
 * accepted every message, rejecting otherwise so the relay retries from its checkpoint.
 */
export interface EventPublisher {
  publish(events: StoredEvent[]): Promise<void>;
}

/**
 * A message derived from a stored event and published with it (e.g. a node task for the WORK
 * stream). `msgId` must be deterministic (a task id) so re-publishing it is dropped as a duplicate.
 */
export interface OutboundMessage {
  subject: string;
  msgId: string;
  data: unknown;
  headers?: Record<string, string>;
}
