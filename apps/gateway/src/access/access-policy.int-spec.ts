import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sign } from 'jsonwebtoken';
import WebSocket from 'ws';
import type { Role } from '@flowstack/contracts';
import { ensureAuthBuckets, membershipKey, type MembershipValue } from '@flowstack/messaging';
import { cleanupNamespace, randomNamespace, TEST_NATS_URL } from '@flowstack/testing';
import { GatewayModule } from '../app.module';
import { API_ROUTES } from '../docs/api-routes';
import { registeredRoutesOf } from '../docs/registered-routes';
import { loadGatewayConfig } from '../gateway.config';
import { configureGatewayApp } from '../gateway.app';
import { ACCESS_POLICY, hasRole, type PolicyKey } from './access-policy';

const SECRET = 'access-policy-int-spec-secret-0123456789abcdef';
const ROLES: Role[] = ['viewer', 'editor', 'admin'];
const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/**
 * `ACCESS_POLICY` against the real gateway module on the real NATS (no other service runs, so an
 * admitted call ends in whatever the handler answers: 400, 404 or 503 for no responder, never 403).
 * Three users, one per role, in one workspace, written to the auth feed's memberships bucket as
 * identity writes it. Every row is tried with every role; every registered route must have a row.
 */
describe('the access policy table', () => {
  const ns = randomNamespace('policy');
  let app: NestExpressApplication;
  let baseUrl: string;
  let nc: NatsConnection;
  const workspaceId = randomUUID();
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const buckets = await ensureAuthBuckets(nc, ns, { revocationTtlMs: 3_600_000 });
    for (const role of ROLES) {
      const userId = randomUUID();
      await buckets.memberships.put(membershipKey(userId, workspaceId), JSON.stringify({ role } satisfies MembershipValue));
      const iat = Math.floor(Date.now() / 1000);
      tokens[role] = sign({ sub: userId, jti: randomUUID(), iat, exp: iat + 600 }, SECRET, { algorithm: 'HS256' });
    }
    const config = loadGatewayConfig({
      NATS_URL: TEST_NATS_URL,
      FLOWSTACK_NS: ns.prefix,
      LOG_LEVEL: 'error',
      JWT_SECRET: SECRET,
    });
    app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(config), { logger: false, bodyParser: false });
    configureGatewayApp(app, config);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await cleanupNamespace(ns);
  });

  it('has a row for every authenticated route Nest registers, and no row for a route that does not exist', () => {
    const publicRoutes = new Set(API_ROUTES.filter((r) => !r.auth).map((r) => `${r.method.toUpperCase()} ${r.path}`));
    const authenticated = registeredRoutesOf(app).filter((r) => !publicRoutes.has(r));
    const httpRows = Object.keys(ACCESS_POLICY).filter((k) => !k.startsWith('WS '));
    expect(authenticated.filter((r) => !httpRows.includes(r))).toEqual([]);
    expect(httpRows.filter((r) => !authenticated.includes(r))).toEqual([]);
    expect(httpRows.length).toBeGreaterThan(10);
  });

  const httpRows = Object.entries(ACCESS_POLICY).filter(([k]) => !k.startsWith('WS ')) as Array<[PolicyKey, Role]>;
  const cases = httpRows.flatMap(([key, needed]) => ROLES.map((role) => [key, role, needed] as const));

  it.each(cases)('%s as %s (needs %s)', async (key, role, needed) => {
    const [method, path] = key.split(' ');
    // `{id}` is the active workspace: a `/workspaces/{id}` route acts in the workspace of its path.
    const url = `${baseUrl}${path.replace(/\{id\}/g, workspaceId).replace(/\{\w+\}/g, SAMPLE_ID)}`;
    const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${tokens[role]}`,
        'x-workspace-id': workspaceId,
        ...(withBody ? { 'content-type': 'application/json' } : {}),
      },
      ...(withBody ? { body: '{}' } : {}),
    });
    const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (hasRole(role, needed)) {
      expect(res.status).not.toBe(403);
      expect(res.status).not.toBe(401);
    } else {
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(body).toMatchObject({ status: 403, code: 'forbidden', detail: `this needs the ${needed} role; you are ${role}` });
    }
  });

  const wsRows = Object.entries(ACCESS_POLICY).filter(([k]) => k.startsWith('WS ')) as Array<[PolicyKey, Role]>;
  it.each(wsRows.flatMap(([key, needed]) => ROLES.map((role) => [key, role, needed] as const)))(
    '%s as %s (needs %s)',
    async (key, role, needed) => {
      const path = key.slice('WS '.length).replace(/\{\w+\}/g, SAMPLE_ID);
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}`, {
          headers: { authorization: `Bearer ${tokens[role]}`, 'x-workspace-id': workspaceId },
        });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('error', reject);
      });
      // Admitted: the tenancy check asks the orchestrator, which does not run here (503), never 403.
      if (hasRole(role, needed)) expect(status).not.toBe(403);
      else expect(status).toBe(403);
    },
  );
});
