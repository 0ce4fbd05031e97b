import type { ActorType, Role } from '@flowstack/contracts';

/**
 * Context stored with every event: who caused it and as part of which request chain. Free-form
 * keys are allowed so a service can add what its audit trail needs without a schema change.
 */
export interface EventMetadata {
  correlationId?: string;
  /** The event id or command id that caused this event. */
  causationId?: string;
  actor?: { id: string; type: ActorType; role?: Role };
  /** W3C trace context, so consumers continue the writer's trace. */
  traceparent?: string;
  /**
   * The event may settle credit holds (an execution event: its subject's fifth token is then
   * `settles`, see contracts `eventSubject`). Stored, so the outbox relay publishes under the same
   * subject as the writer's fast path.
   */
  settlesCredits?: boolean;
  [key: string]: unknown;
}

/** An event about to be appended; the store assigns positions, the transaction id and the time. */
export interface NewEvent {
  /** Defaults to `crypto.randomUUID()`. Also the JetStream `Nats-Msg-Id`, so it must be unique. */
  eventId?: string;
  /** Past-tense PascalCase, a valid NATS subject token (no `.`, `*`, `>` or whitespace). */
  type: string;
  /** Defaults to 1; bump on a breaking shape change and upcast old shapes when reading. */
  schemaVersion?: number;
  data: unknown;
  metadata?: EventMetadata;
}

/** An event as recorded in the log. Positions are numbers: a bigint past 2^53 is not expected. */
export interface StoredEvent<T = unknown> {
  eventId: string;
  streamId: string;
  /** 1, 2, 3 ... within the stream, without gaps. */
  streamPosition: number;
  /** Table-wide order of insertion; NOT commit order (see READ-POSITION.md). */
  globalPosition: number;
  /** The writing transaction's `xid8`, as a decimal string (it can exceed 2^53). */
  transactionId: string;
  workspaceId: string;
  type: string;
  schemaVersion: number;
  data: T;
  metadata: EventMetadata;
  recordedAt: Date;
}

/**
 * What the writer believes the stream's last position is.
 * - a number N: the last position is exactly N (0 means the stream has no events yet);
 * - `'no_stream'`: same as 0;
 * - `'any'`: no concurrency check, append after whatever is there.
 */
export type ExpectedPosition = number | 'any' | 'no_stream';

/**
 * A reader's place in the global log: the last delivered event's (transaction id, global
 * position) pair. Compare and store the pair, never the position alone (see READ-POSITION.md).
 */
export interface LogCheckpoint {
  transactionId: string;
  globalPosition: number;
}

/** The position before the first event of the log. */
export const LOG_START: LogCheckpoint = Object.freeze({ transactionId: '0', globalPosition: 0 });
