import type { StoredEvent } from './event.types';

/**
 * Sends committed events to the message bus. Implementations must be idempotent per event id
 * (the fast path and the relay may both publish an event), and must resolve only once the bus has
 * accepted every message, rejecting otherwise so the relay retries from its checkpoint.
 */
export interface EventPublisher {
  /**
   * Publishes `events`, then the `alongside` messages (e.g. the node tasks a decision made), in
   * one batch: it resolves once the bus accepted all of them.
   */
  publish(events: StoredEvent[], alongside?: readonly OutboundMessage[]): Promise<void>;
}

/**
 * A message published with events (e.g. a node task for the WORK stream). `msgId` must be
 * deterministic (a task id) so publishing it again is dropped as a duplicate.
 */
export interface OutboundMessage {
  subject: string;
  msgId: string;
  data: unknown;
  headers?: Record<string, string>;
}
