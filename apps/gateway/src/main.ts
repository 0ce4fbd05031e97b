import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NatsConnection } from '@nats-io/transport-node';
import { FlowstackError } from '@flowstack/contracts';
import { NATS_CONNECTION, fitsBus, maxPayloadOf } from '@flowstack/messaging';
import { createLogger, loadConfigOrExit, runService } from '@flowstack/service-kit';
import { GatewayModule } from './app.module';
import { loadGatewayConfig, type GatewayConfig } from './gateway.config';
import { configureGatewayApp } from './gateway.app';

// One line per bad variable, not a stack trace, and no half-started gateway.
const config: GatewayConfig = loadConfigOrExit('gateway', loadGatewayConfig);
const logger = createLogger(config);

void runService(
  'gateway',
  logger,
  async () => {
    const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger, bodyParser: false });
    const nc = app.get<NatsConnection>(NATS_CONNECTION);
    if (!fitsBus(nc, config.bodyLimitBytes)) {
      await app.close();
      throw new FlowstackError(
        'unavailable',
        `GATEWAY_BODY_LIMIT (${config.bodyLimitBytes} bytes) is more than one message on this NATS server carries ` +
          `(max_payload ${maxPayloadOf(nc)}): lower it`,
      );
    }
    configureGatewayApp(app, config);
    await app.listen(config.port, config.host);
    return app;
  },
  () => `listening on http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`,
  // `/metrics` is served on the gateway's own port (MetricsController): no second listener.
  { metrics: 'app' },
);
