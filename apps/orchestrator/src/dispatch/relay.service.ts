import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { OutboxRelay, PublishedLedger, type EventPublisher } from '@flowstack/event-store';
import { PG_POOL } from '@flowstack/service-kit';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import { ExecutionHandler } from '../executions/execution.handler';
import { TaskGateStore } from '../admission/task-gate.store';
import { RecoveryPublisher } from './recovery.publisher';
import { TaskDispatcher } from './task.dispatcher';
import { DeadLetterRecorder } from '../dead-letters/dead-letter.recorder';
import { DeadLetterRelayParking } from '../dead-letters/relay.parking';

export const EVENTS_PUBLISHER = Symbol('EVENTS_PUBLISHER');

/**
 * Runs the outbox relay (the safety net behind publish-after-commit) on the one orchestrator
 * replica that holds its advisory lock. It covers the whole shared event log, so registry and
 * identity events that a crash left unpublished go out too. It skips the events this replica's own
 * fast path got acked (the shared `PublishedLedger`); other replicas' events it publishes again,
 * and JetStream drops the duplicates. An event that fails `RELAY_MAX_ATTEMPTS` runs in a row, or
 * can never be published (larger than the bus carries), is parked as a dead letter and skipped.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay?: OutboxRelay;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENTS_PUBLISHER) private readonly events: EventPublisher,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
    private readonly ledger: PublishedLedger,
    private readonly executions: ExecutionHandler,
    private readonly dispatcher: TaskDispatcher,
    private readonly recorder: DeadLetterRecorder,
    // Absent only where the module is built without fairness: recovery then sends every task.
    @Optional() private readonly taskGate?: TaskGateStore,
  ) {}

  onApplicationBootstrap(): void {
    const logger = new Logger('relay');
    this.relay = new OutboxRelay({
      pool: this.pool,
      name: 'events',
      publisher: new RecoveryPublisher(this.events, this.executions, this.dispatcher, this.taskGate),
      intervalMs: this.config.relayIntervalMs,
      logger,
      ledger: this.ledger,
      // An event that cannot go out is parked (a dead letter), so the checkpoint moves on for everyone.
      parking: new DeadLetterRelayParking(this.recorder, 'events', this.config.relayMaxAttempts),
    });
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
