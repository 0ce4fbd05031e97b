import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { OrchestratorModule } from './app.module';
import { loadOrchestratorConfig } from './orchestrator.config';

const config = loadConfigOrExit('orchestrator', loadOrchestratorConfig);
const logger = createLogger(config);

void runService('orchestrator', logger, () => startRpcMicroservice(OrchestratorModule.forRoot(config), { logger }));
