import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadIdentityConfig } from './identity.config';

// Every bad setting is one line, before anything starts.
const config = loadConfigOrExit('identity', loadIdentityConfig);
const logger = createLogger(config);

void runService('identity', logger, () => startRpcMicroservice(createAppModule(config), { logger, abortOnError: false }));
