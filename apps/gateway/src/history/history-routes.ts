import {
  executionHistoryQuerySchema,
  executionListItemSchema,
  pageSchemaOf,
  workflowExecutionsQuerySchema,
} from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

const route = (r: Omit<ApiRoute, 'tag' | 'auth'>): ApiRoute => ({ tag: 'executions', auth: true, ...r });
const historyPage = pageSchemaOf(executionListItemSchema);

/** The routes of `HistoryController`, listed in `API_ROUTES`. */
export const HISTORY_ROUTES: readonly ApiRoute[] = [
  route({
    method: 'get',
    path: '/api/v1/executions',
    summary: 'List runs, newest first: filter by workflowId, status, trigger, from/to (startedAt); cursor page',
    query: executionHistoryQuerySchema,
    status: 200,
    response: historyPage,
    errors: [400, 401],
  }),
  route({
    method: 'get',
    path: '/api/v1/workflows/{id}/executions',
    summary: "One workflow's runs, newest first (same filters)",
    query: workflowExecutionsQuerySchema,
    status: 200,
    response: historyPage,
    errors: [400, 401, 404],
  }),
  route({
    method: 'delete',
    path: '/api/v1/executions/{id}',
    summary: 'Delete a finished run from history (editor): hidden from lists, its events kept',
    status: 204,
    errors: [401, 403, 404, 409],
  }),
];
