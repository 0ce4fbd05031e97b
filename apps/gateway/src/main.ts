import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createLogger, runService } from '@flowstack/service-kit';
import { GatewayModule } from './app.module';
import { loadGatewayConfig } from './gateway.config';
import { ProblemFilter } from './http/problem.filter';
import { trustProxySetting } from './auth/trust-proxy.setting';

const config = loadGatewayConfig();
const logger = createLogger(config);

void runService(
  'gateway',
  logger,
  async () => {
    const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger, bodyParser: false });
    app.disable('x-powered-by');
    app.set('trust proxy', trustProxySetting());
    app.useBodyParser('json', { limit: config.bodyLimitBytes });
    app.useGlobalFilters(new ProblemFilter());
    await app.listen(config.port, config.host);
    return app;
  },
  () => `listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
);
