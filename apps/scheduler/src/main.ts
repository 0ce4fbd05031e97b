import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { clockFromEnv } from './clock';
import { loadSchedulerConfig } from './scheduler.config';

const config = loadConfigOrExit('scheduler', loadSchedulerConfig);
const logger = createLogger(config);

void runService('scheduler', logger, () =>
  startRpcMicroservice(createAppModule(config, clockFromEnv()), { logger, abortOnError: false }),
);
