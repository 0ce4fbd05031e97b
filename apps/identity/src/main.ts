import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadBaseConfig, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadIdentityConfig } from './identity.config';

const logger = createLogger(loadBaseConfig('identity'));

// The full config is read inside `create` so that a bad setting ends as one "failed to start" line.
void runService('identity', logger, () =>
  startRpcMicroservice(createAppModule(loadIdentityConfig()), { logger, abortOnError: false }),
);
