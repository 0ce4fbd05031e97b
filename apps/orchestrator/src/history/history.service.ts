import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { extname, join } from 'node:path';
import { CommitSignal, ProjectionThread, canRunInThread } from '@flowstack/event-store';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import { HistoryProjection, historyChangeOf } from './history.projection';
import type { HistoryThreadData } from './history.thread';

/** The thread's entry, built or not like this file. */
const THREAD_ENTRY = join(__dirname, `history.thread${extname(__filename)}`);

/**
 * Runs the history projection for the orchestrator's lifetime, on every replica (one applies at a
 * time): on a worker thread of its own where the process can start one (see `ProjectionThread`
 * for why), else (inside Jest) on the main thread.
 */
@Injectable()
export class HistoryProjectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly thread?: ProjectionThread;

  constructor(
    @Inject(HistoryProjection) private readonly projection: HistoryProjection,
    @Inject(ORCHESTRATOR_CONFIG) config: OrchestratorConfig,
    committed: CommitSignal,
  ) {
    if (!canRunInThread(THREAD_ENTRY)) return;
    const data: HistoryThreadData = {
      databaseUrl: config.databaseUrl,
      intervalMs: config.historyPollIntervalMs,
      batchSize: config.historyBatchSize,
    };
    this.thread = new ProjectionThread({
      entry: THREAD_ENTRY,
      data,
      wakeOn: committed,
      // A remote node's steps change no row: only starts, ends, approvals and costs wake it.
      wakesFor: (event) => historyChangeOf(event) !== null,
      logger: new Logger('history'),
    });
  }

  onApplicationBootstrap(): void {
    if (this.thread) this.thread.start();
    else this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await (this.thread ?? this.projection).stop();
  }
}
