import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './transaction';
import type { WakeSource } from './commit-signal';
import type { ProjectionHandler } from './projection-handler';
import { LOG_START, type LogCheckpoint, type StoredEvent } from './event.types';
import { GlobalLogReader } from './global-log.reader';
import { checkedSchema } from './schema-name';

/** Configuration of one projection; replicas configured with the same `schema` and `name` share it. */
export interface CheckpointedProjectionOptions<T> {
  pool: Pool;
  /** The pool is the projection's own: `stop()` ends it. */
  ownsPool?: boolean;
  /** Names the checkpoint row and (hashed) the advisory lock. */
  name: string;
  /** The owner's schema, holding its rows and `projection_checkpoints` (see `projectionCheckpointsDdl`). */
  schema: string;
  /** The event store's schema. Default `event_store`. */
  eventSchema?: string;
  handler: ProjectionHandler<T>;
  /** Most events per transaction; a full batch is followed by the next at once. Default 500. */
  batchSize?: number;
  /** Poll interval while nothing wakes the projection (it always polls: a wake source misses other processes' writes). Default 200 ms. */
  intervalMs?: number;
  /**
   * Commits to wake on (e.g. this process's event store's `committed` signal): the log is read at
   * once, not at the next poll. Wakes during a pass are coalesced into one more pass.
   */
  wakeOn?: WakeSource;
  /**
   * Least time between the start of one woken pass and the next, ms: under a stream of commits
   * passes come at most this often, each taking everything committed since. Default 10.
   */
  coalesceMs?: number;
  logger?: { error(message: string): void };
  /** Told, after each commit, how long after its append each applied event was projected. */
  onLag?: (lagMs: number) => void;
}

/** Postgres refused the values (class 22: data exception, 23: integrity): retrying never helps. */
const isDataError = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
};

/** A SQL string literal (standard_conforming_strings: only quotes are special). */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** When another replica holds the projection while this one was woken: look again this soon, ms. */
const BUSY_RETRY_MS = 10;
/**
 * A woken-for event still held back by an older transaction (READ-POSITION.md): look again this
 * soon, doubling up to `intervalMs`.
 */
const HELD_BACK_RETRY_MS = 5;

/** Orders log positions as the reader does: (transaction id, global position). */
export const comparePositions = (a: LogCheckpoint, b: LogCheckpoint): number => {
  const ax = BigInt(a.transactionId);
  const bx = BigInt(b.transactionId);
  if (ax !== bx) return ax < bx ? -1 : 1;
  return a.globalPosition - b.globalPosition;
};

interface Selected<T> {
  event: StoredEvent;
  item: T;
}

/** How a pass ended: events read, and whether another replica held the projection. */
interface Pass {
  read: number;
  busy: boolean;
}

/**
 * Keeps a projection's tables from the global event log (all streams, `GlobalLogReader` order).
 *
 * Exactly once: each batch is applied in one transaction that also moves the checkpoint, so a
 * crash keeps both or neither. Safe on every replica: the transaction first takes
 * `pg_try_advisory_xact_lock` on the projection's name (a replica that does not get it skips the
 * pass) and only then reads the checkpoint, so two replicas never apply the same batch.
 *
 * Timely: woken by `wakeOn` it reads as soon as a commit is known, applies whatever is there (a
 * small batch when quiet, up to `batchSize` under load), and polls every `intervalMs` for what no
 * wake announced. See READ-POSITION.md for why a just-committed event can still be held back.
 */
export class CheckpointedProjection<T> {
  private readonly schema: string;
  private readonly reader: GlobalLogReader;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly coalesceMs: number;
  private readonly logger: { error(message: string): void };
  private readonly lockKey: string;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  /** The armed timer's pass counts as woken (see `afterPass`). */
  private timerWoken = false;
  private passInFlight: Promise<void> = Promise.resolve();
  private passing = false;
  /** A wake arrived during the pass in progress: run another when it ends. */
  private wokenDuringPass = false;
  private lastWokenPassAt = 0;
  /** The last event a wake announced that no pass has reached yet: chased until covered. */
  private chasing: LogCheckpoint | undefined;
  private chaseDelayMs = HELD_BACK_RETRY_MS;
  /** Where this replica's last step left the checkpoint (unknown after a busy pass). */
  private reached: LogCheckpoint | undefined;
  private unsubscribe: (() => void) | undefined;
  private running = false;

  constructor(private readonly options: CheckpointedProjectionOptions<T>) {
    this.schema = checkedSchema(options.schema);
    this.reader = new GlobalLogReader(options.pool, { schema: options.eventSchema });
    this.batchSize = options.batchSize ?? 500;
    this.intervalMs = options.intervalMs ?? 200;
    this.coalesceMs = options.coalesceMs ?? 10;
    this.logger = options.logger ?? { error: (m) => console.error(m) };
    this.lockKey = `flowstack-projection:${this.schema}:${options.name}`;
  }

  /** Applies every batch available now; how many events it read (0: caught up, or another replica holds it). */
  async runOnce(): Promise<number> {
    return (await this.drain()).read;
  }

  /** The saved checkpoint (the start of the log when none). */
  async checkpoint(client: Pick<Pool, 'query'> = this.options.pool): Promise<LogCheckpoint> {
    const { rows } = await client.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM ${this.schema}.projection_checkpoints WHERE name = $1`,
      [this.options.name],
    );
    return rows[0]
      ? { transactionId: rows[0].transaction_id, globalPosition: Number(rows[0].global_position) }
      : { ...LOG_START };
  }

  /** True once the projection has applied `event` (its checkpoint is at or past it); always for the log's start. */
  async covers(event: Pick<StoredEvent, 'transactionId' | 'globalPosition'>): Promise<boolean> {
    if (event.transactionId === LOG_START.transactionId && event.globalPosition === 0) return true;
    const { rows } = await this.options.pool.query<{ covered: boolean }>(
      `SELECT (transaction_id, global_position) >= ($2::xid8, $3::bigint) AS covered
       FROM ${this.schema}.projection_checkpoints WHERE name = $1`,
      [this.options.name, event.transactionId, event.globalPosition],
    );
    return rows[0]?.covered ?? false;
  }

  /**
   * Empties the rows (`handler.reset`) and deletes the checkpoint in one transaction (waiting for a
   * batch in progress on any replica), then replays the log from the start in batches, at least up
   * to where the projection was before (waiting out transactions that hold the log back), and on
   * to the end. Returns the events read.
   */
  async rebuild(): Promise<number> {
    let target: LogCheckpoint = { ...LOG_START };
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.lockKey]);
      target = await this.checkpoint(client);
      await this.options.handler.reset(client);
      await client.query(`DELETE FROM ${this.schema}.projection_checkpoints WHERE name = $1`, [this.options.name]);
    });
    let total = 0;
    for (;;) {
      const read = (await this.step(true)) ?? 0;
      total += read;
      if (read === this.batchSize) continue;
      if (await this.covers(target)) return total;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Follows the log until `stop()`: a pass at once, then on every wake and every `intervalMs`. Never throws. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.wakeOn?.subscribe((events) => this.wake(events));
    this.runPass(false);
  }

  /**
   * New events may be in the log: read it now, or (when a pass is in progress or one ran less
   * than `coalesceMs` ago) right after, once for any number of wakes. With `committed` (the events
   * that just committed) it keeps looking, sooner than the poll, until it has applied them: an
   * older transaction still open can hide them from the pass it wakes.
   */
  wake(committed: ReadonlyArray<Pick<StoredEvent, 'transactionId' | 'globalPosition'>> = []): void {
    if (!this.running) return;
    for (const e of committed) {
      const at = { transactionId: e.transactionId, globalPosition: e.globalPosition };
      if (!this.chasing || comparePositions(at, this.chasing) > 0) this.chasing = at;
    }
    if (this.passing) {
      this.wokenDuringPass = true;
      return;
    }
    const wait = this.lastWokenPassAt + this.coalesceMs - Date.now();
    if (wait > 0) this.schedule(wait, true);
    else this.runPass(true);
  }

  /** Stops following; resolves when the pass in progress has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.passInFlight;
    if (this.options.ownsPool) await this.options.pool.end().catch(() => undefined);
  }

  /** Arms the one timer, unless it is already due sooner (a poll never delays a woken pass). */
  private schedule(delayMs: number, woken: boolean): void {
    const dueAt = Date.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) {
      this.timerWoken ||= woken;
      return;
    }
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timerWoken = woken;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runPass(this.timerWoken);
    }, delayMs);
  }

  private runPass(woken: boolean): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.passing = true;
    this.wokenDuringPass = false;
    if (woken) this.lastWokenPassAt = Date.now();
    this.passInFlight = this.drain().then(
      (pass) => this.afterPass(woken, pass),
      (e: unknown) => {
        this.logger.error(`projection ${this.options.name}: ${errorText(e)}`);
        // A failing database is not hammered: the next try is the next poll.
        this.afterPass(false, null);
      },
    );
  }

  private afterPass(woken: boolean, pass: Pass | null): void {
    this.passing = false;
    if (!this.running) return;
    if (this.chasing && this.reached && comparePositions(this.reached, this.chasing) >= 0) {
      this.chasing = undefined;
      this.chaseDelayMs = HELD_BACK_RETRY_MS;
    }
    if (!pass) this.schedule(this.intervalMs, false);
    else if (this.wokenDuringPass) this.wake();
    // Another replica holds the projection and may have read before the commit that woke us.
    else if (pass.busy && woken) this.schedule(BUSY_RETRY_MS, true);
    else if (this.chasing) {
      this.schedule(this.chaseDelayMs, true);
      this.chaseDelayMs = Math.min(this.chaseDelayMs * 2, this.intervalMs);
    } else this.schedule(this.intervalMs, false);
  }

  /** Steps until a batch comes back short (caught up) or another replica holds the projection. */
  private async drain(): Promise<Pass> {
    let read = 0;
    for (;;) {
      const step = await this.step(false);
      if (step === null) {
        this.reached = undefined;
        return { read, busy: true };
      }
      read += step;
      if (step < this.batchSize) return { read, busy: false };
    }
  }

  /**
   * One batch in one transaction: the events read, or null when another replica holds the
   * projection. Three round trips when there is nothing to apply, and the handler's statements
   * plus three when there is: it runs often (every commit wakes it), so each trip counts.
   *
   * Asynchronous commit (`synchronous_commit = off`): a crash may lose the last few passes, but
   * their rows and their checkpoint together (one transaction), so the projection applies those
   * events again: exactly once still, and nothing waits for the WAL flush.
   */
  private async step(wait: boolean): Promise<number | null> {
    const applied: StoredEvent[] = [];
    let reached: LogCheckpoint | undefined;
    const client = await this.options.pool.connect();
    let read: number;
    try {
      // No parameters in a query of several statements: the key is a quoted literal.
      const lock = wait ? 'pg_advisory_xact_lock' : 'pg_try_advisory_xact_lock';
      const began = (await client.query(
        `BEGIN; SET LOCAL synchronous_commit = off; SELECT ${lock}(hashtext(${literal(this.lockKey)}))::text AS locked`,
      )) as unknown as Array<{ rows: Array<{ locked: string }> }>;
      if (!wait && began[2]?.rows[0]?.locked !== 'true') {
        await client.query('COMMIT');
        return null;
      }
      // After the lock: the checkpoint read is the one the last holder committed.
      const batch = await this.reader.readBatchAfterSaved(
        `${this.schema}.projection_checkpoints`,
        this.options.name,
        this.batchSize,
        client,
      );
      read = batch.events.length;
      if (read === 0) {
        await client.query('COMMIT');
      } else {
        const selected = this.select(batch.events);
        if (selected.length > 0) applied.push(...(await this.apply(client, selected)));
        await client.query(`${this.saveCheckpointSql(batch.checkpoint)}; COMMIT`);
      }
      reached = batch.checkpoint;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    // Committed: the checkpoint is there now (a failed step throws past this line).
    this.reached = reached;
    const { onLag } = this.options;
    if (onLag && applied.length > 0) {
      const now = Date.now();
      for (const e of applied) onLag(now - e.recordedAt.getTime());
    }
    return read;
  }

  /** The checkpoint's upsert as one literal statement (it shares a round trip with COMMIT). */
  private saveCheckpointSql(at: LogCheckpoint): string {
    if (!/^\d+$/.test(at.transactionId) || !Number.isSafeInteger(at.globalPosition)) {
      throw new Error(`not a log position: ${JSON.stringify(at)}`);
    }
    return `INSERT INTO ${this.schema}.projection_checkpoints (name, transaction_id, global_position)
      VALUES (${literal(this.options.name)}, '${at.transactionId}'::xid8, ${at.globalPosition})
      ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id,
        global_position = excluded.global_position, updated_at = now()`;
  }

  private select(events: readonly StoredEvent[]): Array<Selected<T>> {
    const selected: Array<Selected<T>> = [];
    for (const event of events) {
      try {
        const item = this.options.handler.select(event);
        if (item !== null) selected.push({ event, item });
      } catch (e) {
        this.logSkipped(event, e);
      }
    }
    return selected;
  }

  /** Applies the batch at once, or one by one skipping what the rows cannot take; returns the events applied. */
  private async apply(client: PoolClient, selected: ReadonlyArray<Selected<T>>): Promise<StoredEvent[]> {
    const { handler } = this.options;
    await client.query('SAVEPOINT batch');
    try {
      await handler.apply(
        client,
        selected.map((s) => s.item),
      );
      return selected.map((s) => s.event);
    } catch (e) {
      if (!isDataError(e)) throw e;
      // An event whose data the rows cannot take must not stall the projection for everyone:
      // redo the batch one event at a time and skip it.
      await client.query('ROLLBACK TO SAVEPOINT batch');
    }
    const applied: StoredEvent[] = [];
    for (const { event, item } of selected) {
      await client.query('SAVEPOINT one');
      try {
        await handler.apply(client, [item]);
        applied.push(event);
      } catch (e) {
        if (!isDataError(e)) throw e;
        await client.query('ROLLBACK TO SAVEPOINT one');
        this.logSkipped(event, e);
      }
    }
    return applied;
  }

  private logSkipped(event: StoredEvent, e: unknown): void {
    this.logger.error(
      `projection ${this.options.name}: skipped ${event.type} ${event.eventId} on ${event.streamId}: ${errorText(e)}`,
    );
  }

  private async inTransaction<R>(work: (client: PoolClient) => Promise<R>): Promise<R> {
    return inTransaction(this.options.pool, work);
  }
}
