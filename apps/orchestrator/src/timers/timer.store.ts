import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@flowstack/event-store';
import type { TimerKind } from '@flowstack/contracts';
import type { TimerToArm } from '../domain';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';

/** A timer claimed for firing by one replica, until its lease ends. */
export interface ClaimedTimer {
  executionId: string;
  workspaceId: string;
  timerId: string;
  nodeId: string;
  kind: TimerKind;
  dueAt: Date;
}

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.timers (
  execution_id text NOT NULL,
  timer_id text NOT NULL,
  workspace_id text NOT NULL,
  node_id text NOT NULL,
  kind text NOT NULL,
  due_at timestamptz NOT NULL,
  -- Set once the timer's FireTimer was decided (recorded or found already done).
  fired_at timestamptz,
  -- A replica that claimed it holds it until then; past it (the replica died) anyone may claim it.
  locked_until timestamptz,
  claims integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_id, timer_id)
);

CREATE INDEX IF NOT EXISTS timers_due_idx ON ${s}.timers (due_at) WHERE fired_at IS NULL;
`;

/**
 * The durable timers of executions (a retry's backoff, a delay node's wait), one row per timer,
 * written in the same transaction as the events that start them. The stream stays the truth
 * (`FireTimer` is a no-op for a timer that already fired); this table is how a due timer is
 * found after any restart, and how replicas share the firing: a claim takes rows with
 * `FOR UPDATE SKIP LOCKED` and a lease, so two replicas never fire one timer at once, and a
 * replica that dies mid-firing leaves it to the next claim once the lease ends.
 */
export class TimerStore {
  private readonly listeners = new Set<(dueAt: Date) => void>();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string = ORCHESTRATOR_SCHEMA,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  }

  /** Creates the table if needed: idempotent DDL under an advisory lock (replicas starting at once). */
  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('flowstack-orchestrator-migration'))");
      await client.query(ddl(this.schema));
    });
  }

  /** Runs `work` in one transaction on one connection; rolled back if it throws. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  /** Records timers inside the caller's transaction; a timer already recorded is left as it is. */
  async insert(client: PoolClient, executionId: string, workspaceId: string, timers: readonly TimerToArm[]): Promise<void> {
    if (timers.length === 0) return;
    await client.query(
      `INSERT INTO ${this.schema}.timers (execution_id, timer_id, workspace_id, node_id, kind, due_at)
       SELECT $1, t.timer_id, $2, t.node_id, t.kind, t.due_at
       FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS t(timer_id, node_id, kind, due_at)
       ON CONFLICT (execution_id, timer_id) DO NOTHING`,
      [
        executionId,
        workspaceId,
        timers.map((t) => t.timerId),
        timers.map((t) => t.nodeId),
        timers.map((t) => t.kind),
        timers.map((t) => t.dueAt),
      ],
    );
  }

  /** Tells this process's timer service that timers were committed (it wakes early for them). */
  armed(timers: readonly TimerToArm[]): void {
    for (const timer of timers) for (const listener of this.listeners) listener(new Date(timer.dueAt));
  }

  onArmed(listener: (dueAt: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Claims up to `limit` timers due at `now` that nobody holds, for `leaseMs`: each goes to one
   * claimer only (`FOR UPDATE SKIP LOCKED`, then the lease keeps it from the next claims).
   */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedTimer[]> {
    const { rows } = await this.pool.query<{
      execution_id: string;
      workspace_id: string;
      timer_id: string;
      node_id: string;
      kind: TimerKind;
      due_at: Date;
    }>(
      `UPDATE ${this.schema}.timers t
       SET locked_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000), claims = t.claims + 1
       FROM (
         SELECT execution_id, timer_id FROM ${this.schema}.timers
         WHERE fired_at IS NULL AND due_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
         ORDER BY due_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED
       ) due
       WHERE t.execution_id = due.execution_id AND t.timer_id = due.timer_id
       RETURNING t.execution_id, t.workspace_id, t.timer_id, t.node_id, t.kind, t.due_at`,
      [now, leaseMs, limit],
    );
    return rows.map((r) => ({
      executionId: r.execution_id,
      workspaceId: r.workspace_id,
      timerId: r.timer_id,
      nodeId: r.node_id,
      kind: r.kind,
      dueAt: r.due_at,
    }));
  }

  /** Marks a claimed timer done: it is never claimed again. */
  async markFired(timer: Pick<ClaimedTimer, 'executionId' | 'timerId'>, at: Date): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.timers SET fired_at = $3, locked_until = NULL WHERE execution_id = $1 AND timer_id = $2`,
      [timer.executionId, timer.timerId, at],
    );
  }

  /** When the next unfired timer may be claimed (its due time, or the end of its lease); null if none. */
  async nextClaimableAt(): Promise<Date | null> {
    const { rows } = await this.pool.query<{ next: Date | null }>(
      `SELECT min(greatest(due_at, coalesce(locked_until, due_at))) AS next FROM ${this.schema}.timers WHERE fired_at IS NULL`,
    );
    return rows[0]?.next ?? null;
  }
}
