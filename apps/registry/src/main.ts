import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

const config = loadRegistryConfig();
const logger = createLogger(config);

void runService('registry', logger, () => startRpcMicroservice(createAppModule(config), { logger, abortOnError: false }));
