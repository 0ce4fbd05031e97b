import { serveProjectionThread } from '@flowstack/event-store';
import { connectPostgres } from '@flowstack/service-kit';
import { UsageProjection } from './usage.projection';

/** What billing hands the usage projection's thread (`UsageProjectionService`). */
export interface UsageThreadData {
  databaseUrl: string;
}

// The usage projection's own thread: its own event loop and its own Postgres connection.
serveProjectionThread<UsageThreadData>(
  async (data, logger) =>
    new UsageProjection({ pool: await connectPostgres(data.databaseUrl, { max: 1 }), ownsPool: true, logger }),
);
