import { z } from 'zod';
import { httpStatusOf, problemSchema, type ErrorCode } from '@flowstack/contracts';
import { requiredRoleOf } from '../access/access-policy';
import { API_ROUTES, type ApiRoute } from './api-routes';

type JsonSchema = Record<string, unknown>;

/** An OpenAPI 3.1 document, as much of its shape as this builder writes and tests read. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1). `io` picks the side a
 * schema describes: what a client may send (`input`: defaults make fields optional) or what the API
 * answers (`output`). Refinements and transforms cannot be expressed and are left out.
 */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
  return rest;
}

/** Statuses every route of a kind can answer with, besides its own list. */
function errorStatusesOf(route: ApiRoute): number[] {
  const statuses = new Set(route.errors);
  if (route.body) [413, 415].forEach((s) => statuses.add(s));
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}

const CODES: ErrorCode[] = [
  'validation_failed',
  'invalid_graph',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'insufficient_credits',
  'rate_limited',
  'unavailable',
  'internal',
];

function problemResponse(status: number): Record<string, unknown> {
  const codes = CODES.filter((c) => httpStatusOf(c) === status);
  return {
    description: codes.length ? `problem+json, code ${codes.map((c) => `\`${c}\``).join(' or ')}` : 'problem+json',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

/** Read by the `JwtAuthGuard` with the token: which of the caller's workspaces the call acts in. */
const WORKSPACE_HEADER = {
  name: 'X-Workspace-Id',
  in: 'header',
  required: false,
  description: 'the workspace to act in; optional for a user with one workspace',
  schema: { type: 'string' },
};

function operationOf(route: ApiRoute): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? jsonSchemaOf(route.query, 'input') : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const queryParams = Object.entries((query?.properties as Record<string, JsonSchema> | undefined) ?? {}).map(
    ([name, schema]) => ({ name, in: 'query', required: required.has(name), schema }),
  );
  const headerParams = route.auth ? [WORKSPACE_HEADER] : [];
  const parameters = [...pathParams, ...queryParams, ...headerParams];
  const success: Record<string, unknown> = { description: route.summary };
  if (route.response) success.content = { 'application/json': { schema: jsonSchemaOf(route.response, 'output') } };
  if (route.responseMedia) {
    success.description = route.responseMedia.description;
    success.content = { [route.responseMedia.type]: { schema: {} } };
  }
  const responses: Record<string, unknown> = { [String(route.status)]: success };
  for (const status of errorStatusesOf(route)) responses[String(status)] = problemResponse(status);
  return {
    tags: [route.tag],
    summary: route.summary,
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }
      : {}),
    responses,
    // The least role (`ACCESS_POLICY`): what clients and the e2e role matrix read.
    ...(route.auth ? { 'x-flowstack-min-role': requiredRoleOf(`${route.method.toUpperCase()} ${route.path}`) ?? 'none' } : {}),
    // An empty requirement list overrides the document's default: the route is public.
    security: route.auth ? [{ bearer: [] }] : [],
  };
}

/**
 * Builds the OpenAPI 3.1 document of the gateway from `API_ROUTES` and the zod schemas the
 * handlers validate with. Pure and deterministic: the gateway builds it once at start-up.
 */
export function buildOpenApiDocument(routes: readonly ApiRoute[] = API_ROUTES): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operationOf(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flowstack API',
      version: '1',
      description:
        'Workflows, executions and their event logs. Errors are RFC 9457 problem documents. ' +
        'Live events stream over the WebSocket at /ws (not described here).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'the `token` of register or login, or an API key (`fsk_…`); `X-Workspace-Id` picks the workspace',
        },
      },
      schemas: { Problem: jsonSchemaOf(problemSchema, 'output') },
    },
  };
}
