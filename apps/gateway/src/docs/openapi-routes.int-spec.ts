import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL } from '@flowstack/testing';
import { GatewayModule } from '../app.module';
import { loadGatewayConfig } from '../gateway.config';
import { configureGatewayApp } from '../gateway.app';
import { buildOpenApiDocument } from './openapi-document';
import { documentedRoutesOf, registeredRoutesOf, routeDrift } from './registered-routes';

/**
 * The OpenAPI document against the routes the real gateway module registers (on real NATS):
 * a controller route added without an `API_ROUTES` entry, or an entry left behind, fails here.
 */
describe('OpenAPI document vs registered Nest routes', () => {
  const ns = randomNamespace('openapi');
  let app: NestExpressApplication;

  beforeAll(async () => {
    const config = loadGatewayConfig({ NATS_URL: TEST_NATS_URL, FLOWSTACK_NS: ns.prefix, LOG_LEVEL: 'error' });
    app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger: false, bodyParser: false });
    configureGatewayApp(app, config);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await cleanupNamespace(ns);
  });

  it('documents every registered route, and only those', () => {
    const registered = registeredRoutesOf(app);
    expect(registered.length).toBeGreaterThan(15);
    expect(registered).toContain('GET /api/v1/workflows/{id}');
    expect(routeDrift(registered, documentedRoutesOf(buildOpenApiDocument()))).toEqual({ undocumented: [], unregistered: [] });
  });

  it('notices a registered route the document lacks', () => {
    const doc = buildOpenApiDocument();
    delete doc.paths['/api/v1/workflows/{id}'].delete;
    expect(routeDrift(registeredRoutesOf(app), documentedRoutesOf(doc)).undocumented).toEqual(['DELETE /api/v1/workflows/{id}']);
  });
});
