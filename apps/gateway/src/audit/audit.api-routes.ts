import { auditPageSchema, auditQuerySchema } from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

/** The audit route, spread into `API_ROUTES`. */
export const AUDIT_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/audit',
    tag: 'audit',
    summary:
      "The workspace's audit trail, newest first (admins): identity, registry, scheduler and credit ledger events with actor",
    auth: true,
    query: auditQuerySchema,
    status: 200,
    response: auditPageSchema,
    errors: [400, 401, 403],
  },
];
