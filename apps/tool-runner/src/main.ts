import { startRpcMicroservice } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { ToolRunnerModule } from './app.module';
import { loadToolRunnerConfig } from './tool-runner.config';

const config = loadConfigOrExit('tool-runner', loadToolRunnerConfig);
const logger = createLogger(config);

// A microservice, not only an application context: besides pulling WORK it answers
// `toolrunner.tool.test` and `toolrunner.tool.discover` for the gateway.
void runService(
  'tool-runner',
  logger,
  () => startRpcMicroservice(ToolRunnerModule.forRoot(config), { logger, abortOnError: false }),
  () => `concurrency ${config.concurrency}, ack wait ${config.ackWaitMs} ms`,
);
