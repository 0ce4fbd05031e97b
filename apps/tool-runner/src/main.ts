import { NestFactory } from '@nestjs/core';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { ToolRunnerModule } from './app.module';
import { loadToolRunnerConfig } from './tool-runner.config';

const config = loadConfigOrExit('tool-runner', loadToolRunnerConfig);
const logger = createLogger(config);

void runService(
  'tool-runner',
  logger,
  () => NestFactory.createApplicationContext(ToolRunnerModule.forRoot(config), { logger }),
  () => `concurrency ${config.concurrency}, ack wait ${config.ackWaitMs} ms`,
);
