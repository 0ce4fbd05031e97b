import SwaggerParser from '@apidevtools/swagger-parser';
import { buildOpenApiDocument } from './openapi-document';

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    // The parser dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    expect(doc.openapi).toBe('3.1.0');
  });

  it('refuses a broken document (the validator is not a no-op)', async () => {
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { parameters?: unknown[] }>> };
    // `in: body` is OpenAPI 2; 3.1 only has path, query, header and cookie parameters.
    broken.paths['/api/v1/workflows'].get.parameters!.push({ name: 'b', in: 'body', schema: {} });
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('describes request bodies and query strings from the zod schemas the handlers parse with', () => {
    const create = doc.paths['/api/v1/workflows'].post as any;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'graph']));
    expect(body.properties.graph.properties.nodes.maxItems).toBe(1000);
    const list = doc.paths['/api/v1/workflows'].get as any;
    expect(list.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'limit', in: 'query', required: false })]),
    );
    const events = doc.paths['/api/v1/executions/{id}/events'].get as any;
    expect(events.parameters.map((p: { name: string }) => p.name)).toEqual([
      'id',
      'limit',
      'cursor',
      'fromSeq',
      'X-Workspace-Id',
    ]);
  });

  it('answers errors as problem+json and names the bearer scheme on guarded routes only', () => {
    expect(doc.components.securitySchemes).toEqual({ bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    const create = doc.paths['/api/v1/workflows'].post as any;
    expect(create.security).toEqual([{ bearer: [] }]);
    expect(create.responses['400'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415', '500']));
    expect((doc.paths['/api/v1/auth/login'].post as any).security).toEqual([]);
    expect((doc.paths['/api/docs/openapi.json'].get as any).security).toEqual([]);
  });
});
