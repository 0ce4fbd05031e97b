import type { z } from 'zod';
import {
  authResultSchema,
  cancelExecutionSchema,
  forkExecutionResultSchema,
  forkExecutionSchema,
  retryExecutionSchema,
  decideApprovalSchema,
  createWorkflowSchema,
  deadLetterPageSchema,
  deadLettersQuerySchema,
  eventsQuerySchema,
  executionViewSchema,
  healthSchema,
  listQuerySchema,
  loginSchema,
  meSchema,
  pageSchemaOf,
  registerSchema,
  startExecutionResultSchema,
  startExecutionSchema,
  storedEventSchema,
  updateWorkflowSchema,
  versionsQuerySchema,
  workflowVersionSummarySchema,
  workflowVersionViewSchema,
  workflowViewSchema,
} from '@flowstack/contracts';
import { AGENT_API_ROUTES } from './agent-api-routes';
import { API_KEY_ROUTES } from '../api-keys/api-keys.api-routes';
import { OIDC_ROUTES } from '../auth/oidc.api-routes';
import { AUDIT_ROUTES } from '../audit/audit.api-routes';
import { WORKSPACE_ROUTES } from '../workspaces/workspaces.api-routes';
import { WORKSPACE_SETTINGS_ROUTES } from '../workspaces/workspace-settings.api-routes';
import { SCHEDULE_ROUTES } from '../schedules/schedule-routes';
import { HISTORY_ROUTES } from '../history/history-routes';
import { WEBHOOK_ROUTES } from '../webhooks/webhook-routes';
import { TRIGGER_ROUTES } from '../triggers/trigger-routes';
import { CREDIT_ROUTES } from '../credits/credits-routes';
import { USAGE_ROUTES } from '../credits/usage-routes';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One public HTTP route as the OpenAPI document describes it; `path` uses OpenAPI's `{param}`. */
export interface ApiRoute {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  /** Needs `Authorization: Bearer <token>` (the global `JwtAuthGuard`); false exactly for `@Public()` routes. */
  auth: boolean;
  /** The zod schema the handler parses its JSON body with. */
  body?: z.ZodType;
  /** The zod object schema the handler parses its query string with. */
  query?: z.ZodObject;
  status: number;
  /** The success answer's JSON shape; absent for an empty answer (204) or a non-JSON one. */
  response?: z.ZodType;
  /** A success answer that is not one fixed JSON shape (a stored value, Prometheus text). */
  responseMedia?: { type: string; description: string };
  /** Error statuses this route answers with a problem document, besides the ones every route has. */
  errors: number[];
}

const workflowPage = pageSchemaOf(workflowViewSchema);
const eventPage = pageSchemaOf(storedEventSchema);

/**
 * Every HTTP route of the gateway, in one list: the OpenAPI document is built from it, and a test
 * compares it with the routes Nest registers, so a controller route missing here fails CI.
 */
export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/auth/register',
    tag: 'auth',
    summary: 'Create a user and their workspace (admin)',
    auth: false,
    body: registerSchema,
    status: 201,
    response: authResultSchema,
    errors: [400, 409, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/login',
    tag: 'auth',
    summary: 'Log in: a token and the workspaces of the user',
    auth: false,
    body: loginSchema,
    status: 200,
    response: authResultSchema,
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    tag: 'auth',
    summary: 'Revoke the token',
    auth: true,
    status: 204,
    errors: [401],
  },
  {
    method: 'get',
    path: '/api/v1/auth/me',
    tag: 'auth',
    summary: 'Who you are and your workspaces',
    auth: true,
    status: 200,
    response: meSchema,
    errors: [401],
  },
  ...OIDC_ROUTES,
  ...AUDIT_ROUTES,
  {
    method: 'post',
    path: '/api/v1/workflows',
    tag: 'workflows',
    summary: 'Create a workflow (version 1); the graph is validated',
    auth: true,
    body: createWorkflowSchema,
    status: 201,
    response: workflowViewSchema,
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/workflows',
    tag: 'workflows',
    summary: 'List workflows (cursor page)',
    auth: true,
    query: listQuerySchema,
    status: 200,
    response: workflowPage,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/workflows/{id}',
    tag: 'workflows',
    summary: 'The current version of a workflow',
    auth: true,
    status: 200,
    response: workflowViewSchema,
    errors: [401, 404],
  },
  {
    method: 'put',
    path: '/api/v1/workflows/{id}',
    tag: 'workflows',
    summary: 'Save a new immutable version (version + 1)',
    auth: true,
    body: updateWorkflowSchema,
    status: 200,
    response: workflowViewSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'delete',
    path: '/api/v1/workflows/{id}',
    tag: 'workflows',
    summary: 'Soft-delete a workflow',
    auth: true,
    status: 204,
    errors: [401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/workflows/{id}/versions',
    tag: 'workflows',
    summary: 'Saved versions of a workflow, newest first, without graphs (cursor page)',
    auth: true,
    query: versionsQuerySchema,
    status: 200,
    response: pageSchemaOf(workflowVersionSummarySchema),
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/workflows/{id}/versions/{version}',
    tag: 'workflows',
    summary: 'One saved version with its graph',
    auth: true,
    status: 200,
    response: workflowVersionViewSchema,
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/workflows/{id}/executions',
    tag: 'executions',
    summary: 'Start a run; input is checked against input_schema',
    auth: true,
    body: startExecutionSchema,
    status: 202,
    response: startExecutionResultSchema,
    errors: [400, 401, 402, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/executions/{id}',
    tag: 'executions',
    summary: 'Execution state folded from its events',
    auth: true,
    status: 200,
    response: executionViewSchema,
    errors: [401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/executions/{id}/events',
    tag: 'executions',
    summary: 'The execution event log (the audit trail), paged',
    auth: true,
    query: eventsQuerySchema,
    status: 200,
    response: eventPage,
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/executions/{id}/cancel',
    tag: 'executions',
    summary: 'Cancel a run (editor): unfinished nodes cancelled, running ones aborted; again: the same view',
    auth: true,
    body: cancelExecutionSchema,
    status: 200,
    response: executionViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/executions/{id}/retry',
    tag: 'executions',
    summary: 'Retry a failed run (editor): its failed nodes and what follows run again, succeeded ones keep their outputs',
    auth: true,
    body: retryExecutionSchema,
    status: 200,
    response: executionViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/executions/{id}/fork',
    tag: 'executions',
    summary: 'Fork a run (editor): a new run of the same version from fromNodeId, the results before it copied',
    auth: true,
    body: forkExecutionSchema,
    status: 202,
    response: forkExecutionResultSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/executions/{id}/approvals',
    tag: 'executions',
    summary: "Decide a waiting human gate (the gate's approverRole, default editor)",
    auth: true,
    body: decideApprovalSchema,
    status: 200,
    response: executionViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/executions/{id}/values/{sha256}',
    tag: 'executions',
    summary: 'One value stored out of band, as JSON (ETag = its sha256)',
    auth: true,
    status: 200,
    responseMedia: { type: 'application/json', description: 'the stored value, any JSON' },
    errors: [401, 404],
  },
  ...AGENT_API_ROUTES,
  {
    method: 'get',
    path: '/api/v1/dead-letters',
    tag: 'dead-letters',
    summary: 'Messages the platform parked instead of retrying forever (admins)',
    auth: true,
    query: deadLettersQuerySchema,
    status: 200,
    response: deadLetterPageSchema,
    errors: [400, 401, 403],
  },
  ...WORKSPACE_ROUTES,
  ...WORKSPACE_SETTINGS_ROUTES,
  ...API_KEY_ROUTES,
  ...SCHEDULE_ROUTES,
  ...CREDIT_ROUTES,
  ...USAGE_ROUTES,
  ...HISTORY_ROUTES,
  ...WEBHOOK_ROUTES,
  ...TRIGGER_ROUTES,
  {
    method: 'get',
    path: '/api/v1/health',
    tag: 'health',
    summary: 'Readiness (alias)',
    auth: false,
    status: 200,
    response: healthSchema,
    errors: [503],
  },
  {
    method: 'get',
    path: '/api/v1/health/liveness',
    tag: 'health',
    summary: 'The process answers',
    auth: false,
    status: 200,
    response: healthSchema,
    errors: [],
  },
  {
    method: 'get',
    path: '/api/v1/health/readiness',
    tag: 'health',
    summary: 'The gateway reaches NATS',
    auth: false,
    status: 200,
    response: healthSchema,
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'health',
    summary: 'Prometheus metrics of this gateway process',
    auth: false,
    status: 200,
    responseMedia: { type: 'text/plain', description: 'Prometheus text exposition format' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/docs/openapi.json',
    tag: 'docs',
    summary: 'This OpenAPI 3.1 document',
    auth: false,
    status: 200,
    responseMedia: { type: 'application/json', description: 'an OpenAPI 3.1 document' },
    errors: [],
  },
  {
    method: 'get',
    path: '/api/docs',
    tag: 'docs',
    summary: 'A page that renders this document for reading',
    auth: false,
    status: 200,
    responseMedia: { type: 'text/html', description: 'an HTML page' },
    errors: [],
  },
];
