import { serveProjectionThread } from '@flowstack/event-store';
import { connectPostgres } from '@flowstack/service-kit';
import { HistoryProjection } from './history.projection';

/** What the orchestrator hands the history projection's thread (`HistoryProjectionService`). */
export interface HistoryThreadData {
  databaseUrl: string;
  intervalMs: number;
  batchSize: number;
}

// The history projection's own thread: its own event loop and its own Postgres connection.
serveProjectionThread<HistoryThreadData>(
  async (data, logger) =>
    new HistoryProjection({
      pool: await connectPostgres(data.databaseUrl, { max: 1 }),
      ownsPool: true,
      intervalMs: data.intervalMs,
      batchSize: data.batchSize,
      logger,
    }),
);
