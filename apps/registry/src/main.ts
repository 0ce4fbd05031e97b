import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

// Every bad setting (a malformed FLOWSTACK_MASTER_KEY ...) is one line, before anything starts.
const config = loadConfigOrExit('registry', loadRegistryConfig);
const logger = createLogger(config);

void runService('registry', logger, () => {
  if (!config.keyring)
    logger.warn('FLOWSTACK_MASTER_KEY is not set: credentials cannot be created or rotated (development only)');
  return startRpcMicroservice(createAppModule(config), { logger, abortOnError: false });
});
