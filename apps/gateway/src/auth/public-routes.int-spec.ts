import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL } from '@flowstack/testing';
import { GatewayModule } from '../app.module';
import { API_ROUTES } from '../docs/api-routes';
import { loadGatewayConfig } from '../gateway.config';
import { configureGatewayApp } from '../gateway.app';

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/**
 * The guard is global and routes opt out with `@Public()`: every route the document says needs a
 * token answers 401 without one, and every route it calls public does not. A new route without
 * `@Public()` is therefore authenticated; one made public by mistake, or documented wrongly, fails here.
 */
describe('the global auth guard and @Public()', () => {
  const ns = randomNamespace('publicroutes');
  let app: NestExpressApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const config = loadGatewayConfig({
      NATS_URL: TEST_NATS_URL,
      FLOWSTACK_NS: ns.prefix,
      LOG_LEVEL: 'error',
      JWT_SECRET: 'x'.repeat(40),
    });
    app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger: false, bodyParser: false });
    configureGatewayApp(app, config);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await cleanupNamespace(ns);
  });

  it.each(API_ROUTES.map((r) => [r.method.toUpperCase(), r.path, r.auth] as const))(
    '%s %s (token needed: %s)',
    async (method, path, auth) => {
      const url = `${baseUrl}${path.replace(/\{id\}/g, SAMPLE_ID).replace(/\{\w+\}/g, '1')}`;
      // An empty JSON body: a public route that forwards to a service refuses it (400) before any request.
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      const res = await fetch(url, {
        method,
        ...(withBody ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      });
      if (auth) {
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(await res.json()).toMatchObject({
          code: 'unauthenticated',
          detail: 'send a token: Authorization: Bearer <token>',
        });
      } else {
        expect(res.status).not.toBe(401);
      }
    },
  );
});
