import type { Pool } from 'pg';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Asker {
  resolve(watched: boolean): void;
  reject(error: unknown): void;
}

/**
 * How long the first run end of a batch waits for others before the one query is sent, ms. Run
 * ends arrive one per turn of the event loop under load, so a batch of one turn was about one
 * query per run (W2: most of Postgres's share of the scheduler's cost); a trigger or notification
 * reacting 10 ms later changes nothing anyone can see.
 */
export const WATCH_BATCH_WINDOW_MS = 10;

/**
 * Answers "does anything in this workspace watch runs (an enabled trigger or notification)?" for
 * every run end that asks within one window (`WATCH_BATCH_WINDOW_MS`) with one query. Every run's
 * end on EVENTS asks: one statement per run was most of the scheduler's work under load (W2), for
 * a workspace that usually watches nothing. Nothing is cached past a window, so a trigger counts
 * from the moment it is committed. A workspace id that is not a UUID (no table row can have it) is
 * answered `false` without asking.
 */
export class WatchedWorkspaces {
  private waiting = new Map<string, Asker[]>();

  constructor(
    private readonly pool: Pool,
    private readonly windowMs: number = WATCH_BATCH_WINDOW_MS,
  ) {}

  has(workspaceId: string): Promise<boolean> {
    if (!UUID.test(workspaceId)) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      if (this.waiting.size === 0) setTimeout(() => void this.flush(), this.windowMs);
      const askers = this.waiting.get(workspaceId);
      if (askers) askers.push({ resolve, reject });
      else this.waiting.set(workspaceId, [{ resolve, reject }]);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    try {
      const { rows } = await this.pool.query<{ workspace_id: string }>(
        `SELECT workspace_id::text FROM scheduler.triggers
          WHERE workspace_id = ANY($1::uuid[]) AND enabled AND deleted_at IS NULL
         UNION
         SELECT workspace_id::text FROM scheduler.notifications
          WHERE workspace_id = ANY($1::uuid[]) AND enabled AND deleted_at IS NULL`,
        [[...batch.keys()]],
      );
      const watched = new Set(rows.map((r) => r.workspace_id.toLowerCase()));
      for (const [workspaceId, askers] of batch) for (const a of askers) a.resolve(watched.has(workspaceId.toLowerCase()));
    } catch (e) {
      for (const askers of batch.values()) for (const a of askers) a.reject(e);
    }
  }
}
