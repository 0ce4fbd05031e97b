import { Module, type DynamicModule } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Namespace } from '@flowstack/contracts';
import { JETSTREAM, MessagingModule, NAMESPACE, valueStoreProvider } from '@flowstack/messaging';
import { DatabaseModule, PG_POOL } from '@flowstack/service-kit';
import {
  CommitSignal,
  JetStreamEventPublisher,
  PostgresEventStore,
  PublishedLedger,
  migrateEventStore,
  type EventPublisher,
} from '@flowstack/event-store';
import { EVENT_STORE, ORCHESTRATOR_CONFIG, type OrchestratorConfig } from './orchestrator.config';
import { TaskDispatcher } from './dispatch/task.dispatcher';
import { EVENTS_PUBLISHER, RelayService } from './dispatch/relay.service';
import { ExecutionHandler } from './executions/execution.handler';
import { ExecutionStateCache } from './executions/execution-state.cache';
import { ExecutionValues } from './executions/execution-values';
import { ExecutionsHandlers } from './executions/executions.handlers';
import { ExpressionBudget } from './executions/expression.budget';
import { ExpressionSandboxLifecycle } from './executions/expression-sandbox.lifecycle';
import { InputValidator } from './executions/input.validator';
import { ResultsConsumer } from './results/results.consumer';
import { DEAD_LETTER_STORE } from './dead-letters/dead-letter.tokens';
import { DeadLetterStore } from './dead-letters/dead-letter.store';
import { migrateOrchestratorSchema } from './dead-letters/dead-letter.migration';
import { DeadLetterRecorder } from './dead-letters/dead-letter.recorder';
import { DeadLettersHandlers } from './dead-letters/dead-letters.handlers';
import { MaxDeliveriesWatcher } from './dead-letters/max-deliveries.watcher';
import { TimerStore } from './timers/timer.store';
import { TimerService } from './timers/timer.service';
import { SubWorkflowService } from './sub-workflows/sub-workflow.service';
import { ExecutionControlHandlers } from './control/execution-control.handlers';
import { ExecutionRetryHandlers } from './control/execution-retry.handlers';
import { CancelSignalPublisher } from './control/cancel-signal.publisher';
import { HISTORY_CONTROLLERS, HISTORY_PROVIDERS } from './history/history.providers';
import { billingProviders } from './billing/billing.providers';
import { AgentProgressHandlers } from './agent-progress/agent-progress.handlers';
import { AgentInvokeHandlers } from './agent-invoke/agent-invoke.handlers';
import { AdmissionStore } from './admission/admission.store';
import { AdmissionService } from './admission/admission.service';
import { BatchStarts } from './executions/batch-starts.service';
import { TaskGateStore } from './admission/task-gate.store';

/** The orchestrator: owns executions, walks their graphs, dispatches node work, records results. */
@Module({})
export class OrchestratorModule {
  static forRoot(config: OrchestratorConfig): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [
        DatabaseModule.forRoot({ url: config.databaseUrl, max: config.pgPoolSize }),
        MessagingModule.forRoot({
          serviceName: 'orchestrator',
          natsUrl: config.natsUrl,
          namespace: config.namespace,
          streams: ['EVENTS', 'WORK', 'RESULTS'],
        }),
      ],
      controllers: [
        ExecutionsHandlers,
        DeadLettersHandlers,
        ExecutionControlHandlers,
        ExecutionRetryHandlers,
        AgentProgressHandlers,
        AgentInvokeHandlers,
        ...HISTORY_CONTROLLERS,
      ],
      providers: [
        { provide: ORCHESTRATOR_CONFIG, useValue: config },
        {
          provide: EVENTS_PUBLISHER,
          inject: [JETSTREAM, NAMESPACE],
          useFactory: (js: JetStreamClient, ns: Namespace) => new JetStreamEventPublisher(js, ns),
        },
        { provide: PublishedLedger, useFactory: () => new PublishedLedger() },
        // Fired after each of this process's commits: wakes the history projection.
        { provide: CommitSignal, useFactory: () => new CommitSignal() },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, EVENTS_PUBLISHER, PublishedLedger, CommitSignal],
          useFactory: async (pool: Pool, publisher: EventPublisher, ledger: PublishedLedger, committed: CommitSignal) => {
            if (process.env.MIGRATIONS !== 'skip') await migrateEventStore(pool);
            return new PostgresEventStore(pool, { publisher, ledger, committed });
          },
        },
        { provide: ExecutionStateCache, useFactory: () => new ExecutionStateCache(config.stateCacheSize) },
        {
          provide: DEAD_LETTER_STORE,
          inject: [PG_POOL],
          useFactory: async (pool: Pool) => {
            if (process.env.MIGRATIONS !== 'skip') await migrateOrchestratorSchema(pool);
            return new DeadLetterStore(pool);
          },
        },
        {
          provide: TimerStore,
          inject: [PG_POOL],
          useFactory: async (pool: Pool) => {
            const timers = new TimerStore(pool);
            if (process.env.MIGRATIONS !== 'skip') await timers.migrate();
            return timers;
          },
        },
        {
          provide: AdmissionStore,
          inject: [PG_POOL],
          useFactory: async (pool: Pool) => {
            const admission = new AdmissionStore(pool, undefined, config.workspaceMaxRunning > 0);
            if (process.env.MIGRATIONS !== 'skip') await admission.migrate();
            return admission;
          },
        },
        {
          provide: TaskGateStore,
          inject: [PG_POOL],
          useFactory: async (pool: Pool) => {
            const gate = new TaskGateStore(pool, config.workspaceMaxTasks);
            if (process.env.MIGRATIONS !== 'skip') await gate.migrate();
            return gate;
          },
        },
        valueStoreProvider,
        ExecutionValues,
        TaskDispatcher,
        ExpressionBudget,
        ExpressionSandboxLifecycle,
        { provide: InputValidator, useFactory: () => new InputValidator(config.schemaCacheSize) },
        ...billingProviders(config),
        ExecutionHandler,
        AdmissionService,
        BatchStarts,
        DeadLetterRecorder,
        // Before the consumers: it subscribes to the max-deliveries advisories before they pull.
        MaxDeliveriesWatcher,
        ResultsConsumer,
        RelayService,
        SubWorkflowService,
        TimerService,
        CancelSignalPublisher,
        ...HISTORY_PROVIDERS,
      ],
    };
  }
}
