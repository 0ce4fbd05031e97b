import type { Pool } from 'pg';
import { epochMs, runPool } from '../harness/clock';

/** Commits per second and the latency of each commit, ms. */
export interface CommitRun {
  perSecond: number;
  latenciesMs: number[];
}

/** The floor's table: a sequence key and a JSON document, like the event log without its checks. */
export async function createFloorTable(pool: Pool): Promise<void> {
  await pool.query(
    'create table if not exists floor_rows (id bigint generated always as identity primary key, stream text not null, data jsonb not null)',
  );
}

/**
 * The hardware floor for appends: raw single-row INSERTs, each its own autocommit transaction
 * (one fsync'd commit, like one append), `writers` at a time, with the same payload the event
 * store workload appends. Nothing Postgres-side can be cheaper per durable row.
 */
export async function rawInserts(pool: Pool, total: number, writers: number, payload: string): Promise<CommitRun> {
  const latenciesMs: number[] = [];
  const began = epochMs();
  await runPool(total, writers, async (i) => {
    const t0 = epochMs();
    await pool.query({
      name: 'floor_insert',
      text: 'insert into floor_rows (stream, data) values ($1, $2)',
      values: [`s${i % 100}`, payload],
    });
    latenciesMs.push(epochMs() - t0);
  });
  return { perSecond: (total * 1000) / (epochMs() - began), latenciesMs };
}
