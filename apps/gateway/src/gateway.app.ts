import type { NestExpressApplication } from '@nestjs/platform-express';
import { trustProxySetting } from './auth/trust-proxy.setting';
import type { GatewayConfig } from './gateway.config';
import { installHttpEdge } from './http/http-edge';
import { ProblemFilter } from './http/problem.filter';
import { installRequestSpans } from './http/request-span';
import { LiveSocketAdapter } from './live/live-socket.adapter';

/**
 * Everything the gateway app needs besides its module, in one place so `main.ts` and the specs
 * that build the app in-process serve exactly the same edge: the HTTP edge (ids, body limits,
 * CORS), problem+json for every error, and WS /ws/executions/{id} on the same port.
 */
export function configureGatewayApp(app: NestExpressApplication, config: GatewayConfig): NestExpressApplication {
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxySetting());
  installRequestSpans(app);
  installHttpEdge(app, config);
  app.useGlobalFilters(new ProblemFilter());
  app.useWebSocketAdapter(new LiveSocketAdapter(app));
  return app;
}
