import { Logger, type Provider } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@flowstack/service-kit';
import { CommitSignal } from '@flowstack/event-store';
import { EVENT_STORE, ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import { ExportEventsHandlers } from './export-events.handlers';
import { HistoryHandlers } from './history.handlers';
import { migrateHistorySchema } from './history.migration';
import { HistoryProjection } from './history.projection';
import { HistoryProjectionService } from './history.service';
import { HistoryStore } from './history.store';

/** The execution history's providers and handlers, added to the orchestrator's module. */
export const HISTORY_CONTROLLERS = [HistoryHandlers, ExportEventsHandlers];

export const HISTORY_PROVIDERS: Provider[] = [
  {
    provide: HistoryProjection,
    // After the event store's migration (EVENT_STORE): the projection reads its log.
    inject: [PG_POOL, ORCHESTRATOR_CONFIG, CommitSignal, EVENT_STORE],
    useFactory: async (pool: Pool, config: OrchestratorConfig, committed: CommitSignal) => {
      if (process.env.MIGRATIONS !== 'skip') await migrateHistorySchema(pool);
      return new HistoryProjection({
        pool,
        intervalMs: config.historyPollIntervalMs,
        batchSize: config.historyBatchSize,
        // Every execution event is appended by an orchestrator: this replica's own commits wake
        // it at once; the poll covers the other replicas' (one of which is woken by them too).
        wakeOn: committed,
        logger: new Logger('history'),
      });
    },
  },
  { provide: HistoryStore, inject: [PG_POOL], useFactory: (pool: Pool) => new HistoryStore(pool) },
  HistoryProjectionService,
];
