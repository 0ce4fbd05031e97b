import {
  creditBalanceSchema,
  creditEntrySchema,
  creditTransactionsQuerySchema,
  grantCreditsSchema,
  pageSchemaOf,
} from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

const route = (r: Omit<ApiRoute, 'tag' | 'auth'>): ApiRoute => ({ tag: 'credits', auth: true, ...r });

/** The routes of `CreditsController`, listed in `API_ROUTES`. */
export const CREDIT_ROUTES: readonly ApiRoute[] = [
  route({
    method: 'post',
    path: '/api/v1/credits/grants',
    summary: 'Grant credits to the workspace (admins; micro-credits, idempotent by grantId)',
    body: grantCreditsSchema,
    status: 201,
    response: creditBalanceSchema,
    errors: [400, 401, 403],
  }),
  route({
    method: 'get',
    path: '/api/v1/credits/balance',
    summary: 'The workspace balance in micro-credits: posted, held, available',
    status: 200,
    response: creditBalanceSchema,
    errors: [401],
  }),
  route({
    method: 'get',
    path: '/api/v1/credits/transactions',
    summary: 'The ledger entries, newest first, each with its execution and node (cursor page)',
    query: creditTransactionsQuerySchema,
    status: 200,
    response: pageSchemaOf(creditEntrySchema),
    errors: [400, 401],
  }),
];
