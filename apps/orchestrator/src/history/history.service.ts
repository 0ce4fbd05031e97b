import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HistoryProjection } from './history.projection';

/** Runs the history projection's poll loop for the orchestrator's lifetime (on every replica: one applies at a time). */
@Injectable()
export class HistoryProjectionService implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(HistoryProjection) private readonly projection: HistoryProjection) {}

  onApplicationBootstrap(): void {
    this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}
