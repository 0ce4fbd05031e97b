import { apiKeyListSchema, createApiKeySchema, createdApiKeySchema } from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

/** The API key routes, spread into `API_ROUTES`. */
export const API_KEY_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/workspaces/{id}/api-keys',
    tag: 'api-keys',
    summary: 'Create an API key (admins): the key is in this answer only; its role is at most yours',
    auth: true,
    body: createApiKeySchema,
    status: 201,
    response: createdApiKeySchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/workspaces/{id}/api-keys',
    tag: 'api-keys',
    summary: "The workspace's API keys with their prefix and last use, never the key (admins)",
    auth: true,
    status: 200,
    response: apiKeyListSchema,
    errors: [401, 403, 404],
  },
  {
    method: 'delete',
    path: '/api/v1/workspaces/{id}/api-keys/{keyId}',
    tag: 'api-keys',
    summary: 'Revoke an API key (admins): refused by every gateway within a second',
    auth: true,
    status: 204,
    errors: [400, 401, 403, 404],
  },
];
