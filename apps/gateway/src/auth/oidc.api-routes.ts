import { z } from 'zod';
import { authResultSchema } from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';
import { oidcCallbackQuerySchema } from './oidc.controller';

/** The OpenID Connect login routes (public), spread into `API_ROUTES`. */
export const OIDC_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/auth/oidc/status',
    tag: 'auth',
    summary: 'Whether single sign-on is configured: `{ enabled }` (the web app shows its SSO button when true)',
    auth: false,
    query: z.object({}),
    status: 200,
    response: z.object({ enabled: z.boolean() }),
    errors: [],
  },
  {
    method: 'get',
    path: '/api/v1/auth/oidc/login',
    tag: 'auth',
    summary:
      'Start single sign-on: 302 to the identity provider (state, nonce, PKCE S256) and a state cookie; 404 when OIDC is not configured',
    auth: false,
    query: z.object({}),
    status: 302,
    responseMedia: { type: 'text/plain', description: 'a redirect to the identity provider (`Location`)' },
    errors: [404, 503],
  },
  {
    method: 'get',
    path: '/api/v1/auth/oidc/callback',
    tag: 'auth',
    summary:
      'Where the provider sends the browser back: with `Accept: application/json` the login answer; otherwise 302 to the web app with `#token=<jwt>`',
    auth: false,
    query: oidcCallbackQuerySchema,
    status: 200,
    response: authResultSchema,
    errors: [400, 401, 403, 404, 503],
  },
];
