import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { closeExpressionSandbox, configureExpressionSandbox } from '@flowstack/workflow';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';

/** Sizes this process's expression sandbox from the configuration and stops its workers at shutdown. */
@Injectable()
export class ExpressionSandboxLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig) {}

  async onModuleInit(): Promise<void> {
    await configureExpressionSandbox({
      workers: this.config.expressionWorkers,
      maxOldGenerationSizeMb: this.config.expressionWorkerMemoryMb,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeExpressionSandbox();
  }
}
