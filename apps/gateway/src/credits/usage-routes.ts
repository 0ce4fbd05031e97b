import { usageQuerySchema, usageReportSchema } from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

/** The usage report and the execution export, listed in `API_ROUTES`. */
export const USAGE_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/usage',
    tag: 'credits',
    summary:
      'Tokens, cost, runs, success rate and average duration of runs started in [from, to), by workflow, agent, model or day',
    auth: true,
    query: usageQuerySchema,
    status: 200,
    response: usageReportSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/executions/{id}/export',
    tag: 'executions',
    summary: 'The whole run as JSON Lines with a SHA-256 hash chain: its events and the credit entries it caused',
    auth: true,
    status: 200,
    responseMedia: {
      type: 'application/x-ndjson',
      description: 'one canonical JSON object per line: header, events, credit entries, end; each with line, prevHash, hash',
    },
    errors: [401, 404],
  },
];
