import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient } from './api-client';

jest.setTimeout(120_000);

/** The README's API table (the int-spec next to the gateway compares with Nest's own routes). */
const README_ROUTES = [
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/auth/me',
  'POST /api/v1/workflows',
  'GET /api/v1/workflows',
  'GET /api/v1/workflows/{id}',
  'PUT /api/v1/workflows/{id}',
  'DELETE /api/v1/workflows/{id}',
  'POST /api/v1/workflows/{id}/executions',
  'GET /api/v1/executions/{id}',
  'GET /api/v1/executions/{id}/events',
  'GET /api/v1/executions/{id}/values/{sha256}',
  'GET /api/v1/dead-letters',
  'GET /api/v1/health',
  'GET /api/v1/health/liveness',
  'GET /api/v1/health/readiness',
  'GET /api/docs',
  'GET /api/docs/openapi.json',
];

/**
 * The OpenAPI document as a client gets it from a running gateway: public, valid OpenAPI 3.1,
 * every route of the list, and answers of the real API that match the shapes it documents.
 */
describe('OpenAPI at /api/docs', () => {
  let platform: TestPlatform;
  let doc: any;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'openapi' });
    doc = await (await fetch(`${platform.baseUrl}/api/docs/openapi.json`)).json();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('serves the document without a token, as JSON, and it is valid OpenAPI 3.1', async () => {
    const res = await fetch(`${platform.baseUrl}/api/docs/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.json()).toEqual(doc);
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(README_ROUTES));
  });

  it('documents answers the real API gives: register, create, list, versions, start, get, events, me, a problem', async () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(doc.components.schemas.Problem, '#/components/schemas/Problem');
    const schemaOf = (path: string, method: string, status: number, media = 'application/json') => {
      const schema = doc.paths[path][method].responses[String(status)].content[media].schema;
      return schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
    };
    const expectShape = (schema: object, body: unknown) => {
      const validate = ajv.compile(schema);
      expect({ valid: validate(body), errors: validate.errors }).toEqual({ valid: true, errors: null });
    };
    const api = new ApiClient(platform.baseUrl);
    const reg = await api.post('/api/v1/auth/register', {
      email: `openapi-${Date.now()}@example.com`,
      password: 'long-enough-pw',
    });
    expect(reg.status).toBe(201);
    expectShape(schemaOf('/api/v1/auth/register', 'post', 201), reg.body);
    const me = api.as(reg.body.token);
    const created = await me.post('/api/v1/workflows', {
      name: 'documented',
      graph: { entry_point: 'start', nodes: [{ id: 'start', type: 'input', config: {} }], edges: [] },
    });
    expect(created.status).toBe(201);
    expectShape(schemaOf('/api/v1/workflows', 'post', 201), created.body);
    const list = await me.get('/api/v1/workflows?limit=5');
    expect(list.status).toBe(200);
    expectShape(schemaOf('/api/v1/workflows', 'get', 200), list.body);
    const versions = await me.get(`/api/v1/workflows/${created.body.id}/versions`);
    expect(versions.status).toBe(200);
    expectShape(schemaOf('/api/v1/workflows/{id}/versions', 'get', 200), versions.body);
    const version = await me.get(`/api/v1/workflows/${created.body.id}/versions/1`);
    expect(version.status).toBe(200);
    expectShape(schemaOf('/api/v1/workflows/{id}/versions/{version}', 'get', 200), version.body);
    const started = await me.post(`/api/v1/workflows/${created.body.id}/executions`, { input: { a: 1 } });
    expect(started.status).toBe(202);
    expectShape(schemaOf('/api/v1/workflows/{id}/executions', 'post', 202), started.body);
    const execution = await me.get(`/api/v1/executions/${started.body.executionId}`);
    expect(execution.status).toBe(200);
    expectShape(schemaOf('/api/v1/executions/{id}', 'get', 200), execution.body);
    const events = await me.get(`/api/v1/executions/${started.body.executionId}/events`);
    expect(events.status).toBe(200);
    expectShape(schemaOf('/api/v1/executions/{id}/events', 'get', 200), events.body);
    const mine = await me.get('/api/v1/auth/me');
    expectShape(schemaOf('/api/v1/auth/me', 'get', 200), mine.body);
    const invalid = await me.post('/api/v1/workflows', { name: '', graph: { nodes: [] } });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expectShape(schemaOf('/api/v1/workflows', 'post', 400, 'application/problem+json'), invalid.body);
  });

  it('serves a self-contained reader page at /api/docs that loads the document', async () => {
    const res = await fetch(`${platform.baseUrl}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain("fetch('/api/docs/openapi.json')");
    // Nothing external: no CDN script, stylesheet or font.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  });
});
