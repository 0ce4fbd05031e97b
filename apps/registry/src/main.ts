import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadBaseConfig, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadRegistryConfig } from './registry.config';

const logger = createLogger(loadBaseConfig('registry'));

// The full config is read inside `create`, so a bad setting (a malformed FLOWSTACK_MASTER_KEY)
// ends as one "failed to start" line.
void runService('registry', logger, () => {
  const config = loadRegistryConfig();
  if (!config.keyring)
    logger.warn('FLOWSTACK_MASTER_KEY is not set: credentials cannot be created or rotated (development only)');
  return startRpcMicroservice(createAppModule(config), { logger, abortOnError: false });
});
