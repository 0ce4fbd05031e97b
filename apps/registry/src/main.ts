import { NestFactory } from '@nestjs/core';
import { createLogger, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

const config = loadRegistryConfig();
const logger = createLogger(config);

void runService('registry', logger, () =>
  NestFactory.createApplicationContext(createAppModule(config), { logger, abortOnError: false }),
);
