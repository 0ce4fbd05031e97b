import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { createAppModule } from './app.module';
import { loadBillingConfig } from './billing.config';

const config = loadConfigOrExit('billing', loadBillingConfig);
const logger = createLogger(config);

void runService('billing', logger, () => startRpcMicroservice(createAppModule(config), { logger, abortOnError: false }));
