import type { Pool, PoolClient } from 'pg';
import { inTransaction, type OutboundMessage } from '@flowstack/event-store';
import { ORCHESTRATOR_SCHEMA } from '../dead-letters/dead-letter.migration';
import { dispatchableCount, type Limit } from './admission.rules';

const ddl = (s: string): string => `
CREATE SCHEMA IF NOT EXISTS ${s};

-- Node tasks of a workspace sent to WORK and not answered yet ('in_flight'), or held back by the
-- workspace's in-flight limit until results come back ('waiting', with the message to send).
CREATE TABLE IF NOT EXISTS ${s}.workspace_tasks (
  task_id text PRIMARY KEY,
  workspace_id text NOT NULL,
  execution_id text NOT NULL,
  seq bigserial NOT NULL,
  state text NOT NULL CHECK (state IN ('in_flight', 'waiting')),
  message jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);

CREATE INDEX IF NOT EXISTS workspace_tasks_waiting_idx ON ${s}.workspace_tasks (workspace_id, seq) WHERE state = 'waiting';
CREATE INDEX IF NOT EXISTS workspace_tasks_in_flight_idx ON ${s}.workspace_tasks (workspace_id) WHERE state = 'in_flight';
CREATE INDEX IF NOT EXISTS workspace_tasks_execution_idx ON ${s}.workspace_tasks (execution_id);
`;

/**
 * The per-workspace limit on node tasks in flight (`ORCHESTRATOR_WORKSPACE_MAX_TASKS`): a decision
 * that schedules remote nodes records its tasks here in the same transaction as its events, as
 * sent (up to the limit) or waiting (the rest, FIFO). A result that comes back frees its task and
 * sends the workspace's next waiting ones. Decisions about one workspace's count run under a
 * transaction-scoped advisory lock, so replicas never send past the limit together.
 */
export class TaskGateStore {
  constructor(
    private readonly pool: Pool,
    /** Tasks of one workspace in flight at once; 0: no limit (nothing is recorded). */
    readonly limit: Limit,
    private readonly schema: string = ORCHESTRATOR_SCHEMA,
  ) {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('flowstack-orchestrator-migration'))");
      await client.query(ddl(this.schema));
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Runs `work` in one transaction on one connection; rolled back if it throws. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  /**
   * Inside the caller's transaction (the one appending the events that scheduled `messages`):
   * records them and returns those to send now; the others wait. Order is kept: a workspace with
   * tasks waiting sends none of the new ones before them.
   */
  async gate(
    client: PoolClient,
    workspaceId: string,
    executionId: string,
    messages: readonly OutboundMessage[],
  ): Promise<OutboundMessage[]> {
    const limit = this.limit;
    if (messages.length === 0 || limit <= 0) return [...messages];
    await this.lockWorkspace(client, workspaceId);
    const { rows } = await client.query<{ in_flight: string; waiting: string }>(
      `SELECT count(*) FILTER (WHERE state = 'in_flight') AS in_flight, count(*) FILTER (WHERE state = 'waiting') AS waiting
       FROM ${this.schema}.workspace_tasks WHERE workspace_id = $1`,
      [workspaceId],
    );
    const waiting = Number(rows[0].waiting);
    const sendable = waiting > 0 ? 0 : dispatchableCount(Number(rows[0].in_flight), messages.length, limit);
    const send = messages.slice(0, sendable);
    const hold = messages.slice(sendable);
    await client.query(
      `INSERT INTO ${this.schema}.workspace_tasks (task_id, workspace_id, execution_id, state, message, sent_at)
       SELECT t.task_id, $1, $2, t.state, t.message, CASE WHEN t.state = 'in_flight' THEN now() END
       FROM unnest($3::text[], $4::text[], $5::jsonb[]) WITH ORDINALITY AS t(task_id, state, message, n)
       ORDER BY t.n
       ON CONFLICT (task_id) DO NOTHING`,
      [
        workspaceId,
        executionId,
        [...send, ...hold].map((m) => m.msgId),
        [...send.map(() => 'in_flight'), ...hold.map(() => 'waiting')],
        [...send.map(() => null), ...hold.map((m) => JSON.stringify(m))],
      ],
    );
    return send;
  }

  /**
   * Forgets answered tasks (a result recorded) and every task of ended executions; true when the
   * workspace then has tasks waiting that may go out (one round trip when none wait).
   */
  async release(workspaceId: string, taskIds: readonly string[], endedExecutionIds: readonly string[]): Promise<boolean> {
    if (taskIds.length === 0 && endedExecutionIds.length === 0) return false;
    const { rows } = await this.pool.query<{ deleted: string; waiting: boolean }>(
      `WITH d AS (DELETE FROM ${this.schema}.workspace_tasks
                  WHERE task_id = ANY($1::text[]) OR execution_id = ANY($2::text[]) RETURNING 1)
       SELECT (SELECT count(*) FROM d) AS deleted,
              EXISTS (SELECT 1 FROM ${this.schema}.workspace_tasks WHERE workspace_id = $3 AND state = 'waiting') AS waiting`,
      [taskIds, endedExecutionIds, workspaceId],
    );
    return Number(rows[0].deleted) > 0 && rows[0].waiting;
  }

  /**
   * Marks the workspace's oldest waiting tasks as sent, up to its free in-flight room, and returns
   * their messages (the caller publishes them; `unsend` puts back those it could not).
   */
  async takeWaiting(workspaceId: string): Promise<OutboundMessage[]> {
    const limit = this.limit;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await this.lockWorkspace(client, workspaceId);
      const { rows: counts } = await client.query<{ in_flight: string }>(
        `SELECT count(*) AS in_flight FROM ${this.schema}.workspace_tasks WHERE workspace_id = $1 AND state = 'in_flight'`,
        [workspaceId],
      );
      const room = limit <= 0 ? 10_000 : Math.max(0, limit - Number(counts[0].in_flight));
      const { rows } =
        room === 0
          ? { rows: [] }
          : await client.query<{ message: OutboundMessage; seq: string }>(
              `UPDATE ${this.schema}.workspace_tasks t SET state = 'in_flight', sent_at = now()
               FROM (SELECT task_id FROM ${this.schema}.workspace_tasks
                     WHERE workspace_id = $1 AND state = 'waiting' ORDER BY seq LIMIT $2) next
               WHERE t.task_id = next.task_id
               RETURNING t.message, t.seq`,
              [workspaceId, room],
            );
      await client.query('COMMIT');
      return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.message);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Which of these tasks wait for room (the relay's recovery must not send them). */
  async waitingAmong(taskIds: readonly string[]): Promise<Set<string>> {
    if (taskIds.length === 0) return new Set();
    const { rows } = await this.pool.query<{ task_id: string }>(
      `SELECT task_id FROM ${this.schema}.workspace_tasks WHERE task_id = ANY($1::text[]) AND state = 'waiting'`,
      [taskIds],
    );
    return new Set(rows.map((r) => r.task_id));
  }

  /** Puts tasks whose publish failed back in the queue (their order is kept by `seq`). */
  async unsend(taskIds: readonly string[]): Promise<void> {
    await this.pool.query(
      `UPDATE ${this.schema}.workspace_tasks SET state = 'waiting', sent_at = NULL WHERE task_id = ANY($1::text[]) AND message IS NOT NULL`,
      [taskIds],
    );
  }

  /** Workspaces with tasks waiting (the sweeper sends them: a release another replica lost). */
  async waitingWorkspaces(): Promise<string[]> {
    const { rows } = await this.pool.query<{ workspace_id: string }>(
      `SELECT DISTINCT workspace_id FROM ${this.schema}.workspace_tasks WHERE state = 'waiting'`,
    );
    return rows.map((r) => r.workspace_id);
  }

  /** Tasks in flight longer than `olderThanMs`: the sweeper checks their node still waits on them. */
  async inFlightSince(
    olderThanMs: number,
    limit: number,
  ): Promise<Array<{ taskId: string; executionId: string; workspaceId: string }>> {
    const { rows } = await this.pool.query<{ task_id: string; execution_id: string; workspace_id: string }>(
      `SELECT task_id, execution_id, workspace_id FROM ${this.schema}.workspace_tasks
       WHERE state = 'in_flight' AND sent_at < now() - make_interval(secs => $1::double precision / 1000)
       ORDER BY sent_at LIMIT $2`,
      [olderThanMs, limit],
    );
    return rows.map((r) => ({ taskId: r.task_id, executionId: r.execution_id, workspaceId: r.workspace_id }));
  }

  /** Tasks of the workspace in flight now (tests and metrics). */
  async inFlight(workspaceId: string): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${this.schema}.workspace_tasks WHERE workspace_id = $1 AND state = 'in_flight'`,
      [workspaceId],
    );
    return Number(rows[0].n);
  }

  private async lockWorkspace(client: PoolClient, workspaceId: string): Promise<void> {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('flowstack-task-gate:' || $1, 0))`, [workspaceId]);
  }
}
