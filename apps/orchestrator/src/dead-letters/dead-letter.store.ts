import type { Pool } from 'pg';
import type { DeadLetterPage, DeadLetterView } from '@flowstack/contracts';
import { ORCHESTRATOR_SCHEMA } from './dead-letter.migration';

/** How much of a parked message is kept (and shown): enough to see what it was, small enough for a page. */
export const DEAD_LETTER_PAYLOAD_PREFIX_BYTES = 2 * 1024;
/** Longest error text kept for one dead letter. */
export const DEAD_LETTER_ERROR_CHARS = 1_000;

/** A message to park; the store bounds and cleans its text fields. */
export interface NewDeadLetter {
  workspaceId?: string;
  source: DeadLetterView['source'];
  stream: string;
  consumer: string;
  sequence: number;
  subject: string;
  executionId?: string;
  taskId?: string;
  nodeId?: string;
  error: string;
  deliveries: number;
  payload: Uint8Array;
}

interface DeadLetterRow {
  id: string;
  source: DeadLetterView['source'];
  stream: string;
  consumer: string;
  stream_seq: string;
  subject: string;
  execution_id: string | null;
  task_id: string | null;
  node_id: string | null;
  error: string;
  deliveries: number;
  payload_bytes: number;
  payload_prefix: string;
  recorded_at: Date;
}

const decoder = new TextDecoder();

/**
 * Postgres text refuses NUL, and a hostile message may carry anything: NULs become U+FFFD (invalid
 * UTF-8 already does, through the decoder), and the text is cut to `max` characters.
 */
export const cleanText = (text: string, max: number): string => {
  const clean = text.replace(/\u0000/g, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
};

/** The dead-letter table of the orchestrator's schema: parked messages, per workspace. */
export class DeadLetterStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string = ORCHESTRATOR_SCHEMA,
  ) {}

  /**
   * Records a parked message once: a second record of the same (stream, consumer, sequence) is a
   * no-op and returns `undefined`; otherwise the new letter's id. Throws on a database error (the
   * caller leaves the message where it is, to be parked again later).
   */
  async record(letter: NewDeadLetter): Promise<string | undefined> {
    const prefix = cleanText(
      decoder.decode(letter.payload.subarray(0, DEAD_LETTER_PAYLOAD_PREFIX_BYTES)),
      DEAD_LETTER_PAYLOAD_PREFIX_BYTES,
    );
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO ${this.schema}.dead_letters
         (workspace_id, source, stream, consumer, stream_seq, subject, execution_id, task_id, node_id, error, deliveries, payload_bytes, payload_prefix)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT ON CONSTRAINT dead_letters_message_unique DO NOTHING
       RETURNING id`,
      [
        letter.workspaceId ? cleanText(letter.workspaceId, 200) : null,
        letter.source,
        cleanText(letter.stream, 200),
        cleanText(letter.consumer, 200),
        letter.sequence,
        cleanText(letter.subject, 500),
        letter.executionId ? cleanText(letter.executionId, 200) : null,
        letter.taskId ? cleanText(letter.taskId, 500) : null,
        letter.nodeId ? cleanText(letter.nodeId, 200) : null,
        cleanText(letter.error, DEAD_LETTER_ERROR_CHARS),
        letter.deliveries,
        letter.payload.length,
        prefix,
      ],
    );
    return rows[0]?.id;
  }

  /** One page of a workspace's dead letters, newest first; `cursor` is the previous page's `nextCursor`. */
  async list(workspaceId: string, limit: number, cursor?: string): Promise<DeadLetterPage> {
    const before = cursor && /^[1-9][0-9]{0,17}$/.test(cursor) ? cursor : null;
    const [{ rows }, count] = await Promise.all([
      this.pool.query<DeadLetterRow>(
        `SELECT id, source, stream, consumer, stream_seq, subject, execution_id, task_id, node_id, error, deliveries,
                payload_bytes, payload_prefix, recorded_at
           FROM ${this.schema}.dead_letters
          WHERE workspace_id = $1 AND ($2::bigint IS NULL OR id < $2::bigint)
          ORDER BY id DESC LIMIT $3`,
        [workspaceId, before, limit],
      ),
      this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.schema}.dead_letters WHERE workspace_id = $1`, [
        workspaceId,
      ]),
    ]);
    return {
      items: rows.map(toView),
      nextCursor: rows.length === limit ? rows[rows.length - 1].id : null,
      total: Number(count.rows[0]?.n ?? 0),
    };
  }
}

const toView = (r: DeadLetterRow): DeadLetterView => ({
  id: r.id,
  source: r.source,
  stream: r.stream,
  consumer: r.consumer,
  sequence: Number(r.stream_seq),
  subject: r.subject,
  ...(r.execution_id ? { executionId: r.execution_id } : {}),
  ...(r.task_id ? { taskId: r.task_id } : {}),
  ...(r.node_id ? { nodeId: r.node_id } : {}),
  error: r.error,
  deliveries: r.deliveries,
  payloadBytes: r.payload_bytes,
  payloadPrefix: r.payload_prefix,
  recordedAt: r.recorded_at.toISOString(),
});
