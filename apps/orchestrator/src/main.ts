import { NestFactory } from '@nestjs/core';
import { createLogger, runService } from '@flowstack/service-kit';
import { OrchestratorModule } from './app.module';
import { loadOrchestratorConfig } from './orchestrator.config';

const config = loadOrchestratorConfig();
const logger = createLogger(config);

void runService('orchestrator', logger, () =>
  NestFactory.createApplicationContext(OrchestratorModule.forRoot(config), { logger }),
);
