import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@flowstack/event-store';
import type { RequestContext } from '@flowstack/contracts';
import type { StartExecution } from '../domain';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';
import { promotableCount, queuePosition, type Limit } from './admission.rules';

/** A queued start: the command (all but its `now`) and the caller's context, kept until it runs. */
export interface QueuedStart {
  command: Omit<StartExecution['data'], 'now'>;
  ctx: RequestContext;
}

/** Where an execution stands in its workspace's admission. */
export type AdmissionEntry =
  | { state: 'running'; workspaceId: string }
  | { state: 'queued'; workspaceId: string; position: number; queuedAt: string; start: QueuedStart }
  | { state: 'cancelled'; workspaceId: string; queuedAt: string; start: QueuedStart; cancelledAt: string; by: string };

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

-- One row per execution that holds a running slot of its workspace or waits for one (fairness).
CREATE TABLE IF NOT EXISTS ${s}.workspace_admissions (
  execution_id text PRIMARY KEY,
  workspace_id text NOT NULL,
  seq bigserial NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'cancelled')),
  start jsonb,
  queued_at timestamptz NOT NULL DEFAULT now(),
  admitted_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by text
);

CREATE INDEX IF NOT EXISTS workspace_admissions_queue_idx ON ${s}.workspace_admissions (workspace_id, seq)
  WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS workspace_admissions_running_idx ON ${s}.workspace_admissions (workspace_id)
  WHERE state = 'running';
`;

/**
 * The running slots and FIFO queues of workspaces, in Postgres so that every replica shares them
 * and a restart keeps them. Each decision about one workspace (admit, promote) runs in one
 * transaction under a transaction-scoped advisory lock on the workspace, so two replicas never
 * count the same free slot twice; slot releases are single-row deletes that need no lock.
 */
export class AdmissionStore {
  private readonly listeners = new Set<(workspaceId: string) => void>();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string = ORCHESTRATOR_SCHEMA,
    /**
     * False when this replica runs without a limit (`ORCHESTRATOR_WORKSPACE_MAX_RUNNING` 0): its
     * starts take no slot, so the end of a run has none to free and skips that round trip. Slots
     * left from a time with a limit are freed by the sweeper once a limit is set again.
     */
    readonly keepsSlots: boolean = true,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  }

  async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('flowstack-orchestrator-migration'))");
      await client.query(ddl(this.schema));
    });
  }

  /**
   * Takes a running slot for `executionId` or queues it behind its workspace's waiting runs.
   * Idempotent per execution id: a start asked again (a schedule's retried fire) gets its first answer.
   */
  async admit(
    executionId: string,
    workspaceId: string,
    limit: Limit,
    start: QueuedStart,
    /** The id was just made up by this replica: no earlier answer can exist, so none is looked up. */
    fresh = false,
  ): Promise<{ admitted: true } | { admitted: false; position: number; queuedAt: string }> {
    return this.transaction(async (client) => {
      await this.lockWorkspace(client, workspaceId);
      if (!fresh) {
        const existing = await this.entryIn(client, executionId);
        if (existing) {
          return existing.state === 'queued'
            ? { admitted: false as const, position: existing.position, queuedAt: existing.queuedAt }
            : { admitted: true as const };
        }
      }
      // The common case in one statement after the lock (its own snapshot sees every committed
      // admission): a free slot and nobody waiting takes the slot (admissionOf's rule, in SQL).
      const taken = await client.query(
        `INSERT INTO ${this.schema}.workspace_admissions (execution_id, workspace_id, state, admitted_at)
         SELECT $1, $2, 'running', now()
         WHERE (SELECT count(*) FROM ${this.schema}.workspace_admissions WHERE workspace_id = $2 AND state = 'running') < $3
           AND NOT EXISTS (SELECT 1 FROM ${this.schema}.workspace_admissions WHERE workspace_id = $2 AND state = 'queued')
         ON CONFLICT (execution_id) DO NOTHING
         RETURNING 1`,
        [executionId, workspaceId, limit],
      );
      if ((taken.rowCount ?? 0) > 0) return { admitted: true as const };
      const load = await this.loadOf(client, workspaceId);
      const { rows } = await client.query<{ queued_at: Date }>(
        `INSERT INTO ${this.schema}.workspace_admissions (execution_id, workspace_id, state, start)
         VALUES ($1, $2, 'queued', $3) RETURNING queued_at`,
        [executionId, workspaceId, JSON.stringify(start)],
      );
      // Listed in the history as `pending` until it starts (the projection takes the row over then).
      const { command } = start;
      await client.query(
        `INSERT INTO ${this.schema}.execution_history
           (id, workspace_id, workflow_id, workflow_version, status, trigger_type, trigger_by, started_at)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [
          executionId,
          workspaceId,
          command.workflowId,
          command.workflowVersion,
          command.trigger.type,
          command.trigger.by ?? null,
          rows[0].queued_at,
        ],
      );
      return { admitted: false as const, position: queuePosition(load.queued), queuedAt: rows[0].queued_at.toISOString() };
    });
  }

  /**
   * Moves the oldest queued runs of the workspace into its free slots and returns them, oldest
   * first; the caller starts them (a start that is lost in a crash is started again by `stalled`).
   */
  async promote(workspaceId: string, limit: Limit): Promise<Array<{ executionId: string; start: QueuedStart }>> {
    return this.transaction(async (client) => {
      await this.lockWorkspace(client, workspaceId);
      const count = promotableCount(await this.loadOf(client, workspaceId), limit);
      if (count === 0) return [];
      const { rows } = await client.query<{ execution_id: string; start: QueuedStart }>(
        `UPDATE ${this.schema}.workspace_admissions a SET state = 'running', admitted_at = now()
         FROM (SELECT execution_id, seq FROM ${this.schema}.workspace_admissions
               WHERE workspace_id = $1 AND state = 'queued' ORDER BY seq LIMIT $2) next
         WHERE a.execution_id = next.execution_id
         RETURNING a.execution_id, a.start, next.seq`,
        [workspaceId, count],
      );
      return rows
        .map((r) => ({ executionId: r.execution_id, start: r.start, seq: Number((r as { seq?: string }).seq) }))
        .sort((a, b) => a.seq - b.seq)
        .map(({ executionId, start }) => ({ executionId, start }));
    });
  }

  /**
   * Frees the slot of a finished execution (a no-op for one that holds none) and tells this
   * process's listeners, which promote the workspace's next runs.
   */
  async release(executionId: string, client?: PoolClient): Promise<string | undefined> {
    // One round trip: the slot freed and whether its workspace has runs waiting for one.
    const { rows } = await (client ?? this.pool).query<{ workspace_id: string; waiting: boolean }>(
      `WITH d AS (DELETE FROM ${this.schema}.workspace_admissions WHERE execution_id = $1 AND state = 'running'
                  RETURNING workspace_id)
       SELECT d.workspace_id, EXISTS (SELECT 1 FROM ${this.schema}.workspace_admissions q
                                      WHERE q.workspace_id = d.workspace_id AND q.state = 'queued') AS waiting
       FROM d`,
      [executionId],
    );
    const workspaceId = rows[0]?.workspace_id;
    if (workspaceId && rows[0].waiting) for (const listener of this.listeners) listener(workspaceId);
    return workspaceId;
  }

  /** A retried execution runs again: it takes a slot back, without waiting (it already waited once). */
  async occupy(executionId: string, workspaceId: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.workspace_admissions (execution_id, workspace_id, state, admitted_at)
       VALUES ($1, $2, 'running', now()) ON CONFLICT (execution_id) DO NOTHING`,
      [executionId, workspaceId],
    );
  }

  /** Takes a queued run out of its queue (cancelled before it started); false if it is not queued. */
  async cancelQueued(executionId: string, workspaceId: string, by: string): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rowCount } = await client.query(
        `UPDATE ${this.schema}.workspace_admissions SET state = 'cancelled', cancelled_at = now(), cancelled_by = $3
         WHERE execution_id = $1 AND workspace_id = $2 AND state = 'queued'`,
        [executionId, workspaceId, by],
      );
      if (!rowCount) return false;
      await client.query(
        `UPDATE ${this.schema}.execution_history SET status = 'cancelled', finished_at = now(), projected_at = clock_timestamp()
         WHERE id = $1 AND status = 'pending'`,
        [executionId],
      );
      return true;
    });
  }

  /** The execution's admission entry, if it has one, seen from its own workspace only. */
  async entry(executionId: string, workspaceId: string): Promise<AdmissionEntry | undefined> {
    const entry = await this.entryIn(this.pool, executionId);
    return entry && entry.workspaceId === workspaceId ? entry : undefined;
  }

  /** Workspaces with runs waiting (the sweeper promotes them: a release another replica missed). */
  async queuedWorkspaces(): Promise<string[]> {
    const { rows } = await this.pool.query<{ workspace_id: string }>(
      `SELECT DISTINCT workspace_id FROM ${this.schema}.workspace_admissions WHERE state = 'queued'`,
    );
    return rows.map((r) => r.workspace_id);
  }

  /** Slots held longer than `olderThanMs`: the sweeper checks they still belong to live executions. */
  async heldSince(olderThanMs: number, limit: number): Promise<Array<{ executionId: string; workspaceId: string }>> {
    const { rows } = await this.pool.query<{ execution_id: string; workspace_id: string }>(
      `SELECT execution_id, workspace_id FROM ${this.schema}.workspace_admissions
       WHERE state = 'running' AND admitted_at < now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY admitted_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => ({ executionId: r.execution_id, workspaceId: r.workspace_id }));
  }

  /** The queued start of an execution that holds a slot but may not have started (see `heldSince`). */
  async startOf(executionId: string): Promise<QueuedStart | undefined> {
    const { rows } = await this.pool.query<{ start: QueuedStart | null }>(
      `SELECT start FROM ${this.schema}.workspace_admissions WHERE execution_id = $1`,
      [executionId],
    );
    return rows[0]?.start ?? undefined;
  }

  onReleased(listener: (workspaceId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  private async lockWorkspace(client: PoolClient, workspaceId: string): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('flowstack-admission:' || $1, 0))`, [workspaceId]);
  }

  private async loadOf(client: PoolClient, workspaceId: string): Promise<{ running: number; queued: number }> {
    const { rows } = await client.query<{ running: string; queued: string }>(
      `SELECT count(*) FILTER (WHERE state = 'running') AS running, count(*) FILTER (WHERE state = 'queued') AS queued
       FROM ${this.schema}.workspace_admissions WHERE workspace_id = $1 AND state <> 'cancelled'`,
      [workspaceId],
    );
    return { running: Number(rows[0].running), queued: Number(rows[0].queued) };
  }

  private async entryIn(db: Pool | PoolClient, executionId: string): Promise<AdmissionEntry | undefined> {
    const { rows } = await db.query<{
      workspace_id: string;
      state: AdmissionEntry['state'];
      start: QueuedStart | null;
      queued_at: Date;
      cancelled_at: Date | null;
      cancelled_by: string | null;
      ahead: string;
    }>(
      `SELECT a.workspace_id, a.state, a.start, a.queued_at, a.cancelled_at, a.cancelled_by,
              (SELECT count(*) FROM ${this.schema}.workspace_admissions q
                WHERE q.workspace_id = a.workspace_id AND q.state = 'queued' AND q.seq < a.seq) AS ahead
       FROM ${this.schema}.workspace_admissions a WHERE a.execution_id = $1`,
      [executionId],
    );
    const row = rows[0];
    if (!row) return undefined;
    switch (row.state) {
      case 'running':
        return { state: 'running', workspaceId: row.workspace_id };
      case 'queued':
        return {
          state: 'queued',
          workspaceId: row.workspace_id,
          position: queuePosition(Number(row.ahead)),
          queuedAt: row.queued_at.toISOString(),
          start: row.start!,
        };
      case 'cancelled':
        return {
          state: 'cancelled',
          workspaceId: row.workspace_id,
          queuedAt: row.queued_at.toISOString(),
          start: row.start!,
          cancelledAt: (row.cancelled_at ?? row.queued_at).toISOString(),
          by: row.cancelled_by ?? '',
        };
    }
  }
}
