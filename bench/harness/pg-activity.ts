import { benchPool } from './pg-pool';
import type { Pool } from 'pg';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * How many Postgres transactions the platform's database ran. `pg_stat_database.xact_commit`
 * counts every committed transaction, reads included, but each backend reports its counts up to
 * 10 s late (PGSTAT_IDLE_INTERVAL in Postgres 15: an idle backend flushes its pending stats then),
 * so a reading is exact only after a quiet window of that length. Readings come through the
 * admin database so they do not count themselves.
 */
export const STATS_SETTLE_MS = 11_000;

export class PgActivity {
  private readonly admin = benchPool(ADMIN_URL, 1);
  private readonly db: Pool;

  constructor(private readonly databaseUrl: string) {
    this.db = benchPool(databaseUrl, 1);
  }

  /** Committed transactions of the database so far (as reported; see STATS_SETTLE_MS). */
  async xactCommit(): Promise<number> {
    const name = new URL(this.databaseUrl).pathname.slice(1);
    const { rows } = await this.admin.query<{ n: string }>(
      'select xact_commit::text as n from pg_stat_database where datname = $1',
      [name],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Whether the outbox relay (checkpoint `events`) has gone past the whole log: its checkpoint is at
   * or after the log's last event in the relay's own (transaction id, global position) order. The
   * relay saves it after each batch, published or skipped as already acked, so this is what says
   * the relay's work for everything appended so far is done.
   */
  async relayCaughtUp(): Promise<boolean> {
    const { rows } = await this.db.query<{ caught_up: boolean }>(
      `select coalesce(
         (select (c.transaction_id, c.global_position) >= (e.transaction_id, e.global_position)
          from event_store.checkpoints c where c.name = 'events'), false) as caught_up
       from (select transaction_id, global_position from event_store.events
             order by transaction_id desc, global_position desc limit 1) e`,
    );
    // No row: the log is empty, nothing to relay.
    return rows[0]?.caught_up ?? true;
  }

  /** The event log's last global position. */
  async logHead(): Promise<number> {
    const { rows } = await this.db.query<{ head: string | null }>(
      'select max(global_position)::text as head from event_store.events',
    );
    return Number(rows[0]?.head ?? 0);
  }

  /**
   * Exact counts from the log itself: events appended after `afterPosition` and the distinct
   * transactions that appended them (each one a durable commit).
   */
  async appendsSince(afterPosition: number): Promise<{ events: number; commits: number }> {
    const { rows } = await this.db.query<{ events: string; commits: string }>(
      `select count(*)::text as events, count(distinct transaction_id)::text as commits
       from event_store.events where global_position > $1`,
      [afterPosition],
    );
    return { events: Number(rows[0].events), commits: Number(rows[0].commits) };
  }

  async close(): Promise<void> {
    await Promise.all([this.admin.end(), this.db.end()]);
  }
}
