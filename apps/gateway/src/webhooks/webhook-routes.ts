import {
  createdWebhookViewSchema,
  createWebhookSchema,
  listWebhooksQuerySchema,
  pageSchemaOf,
  startExecutionResultSchema,
  webhookViewSchema,
} from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

/** The routes of `WebhooksController` and `HooksController`, listed in `API_ROUTES`. */
export const WEBHOOK_ROUTES: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/api/v1/webhooks',
    tag: 'webhooks',
    summary: 'Create a webhook of a workflow; the answer shows the signing secret, once',
    auth: true,
    body: createWebhookSchema,
    status: 201,
    response: createdWebhookViewSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/webhooks',
    tag: 'webhooks',
    summary: "List webhooks, newest first (cursor page), optionally one workflow's; secrets are never listed",
    auth: true,
    query: listWebhooksQuerySchema,
    status: 200,
    response: pageSchemaOf(webhookViewSchema),
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/webhooks/{id}',
    tag: 'webhooks',
    summary: 'One webhook (without its secret)',
    auth: true,
    status: 200,
    response: webhookViewSchema,
    errors: [401, 404],
  },
  {
    method: 'delete',
    path: '/api/v1/webhooks/{id}',
    tag: 'webhooks',
    summary: 'Delete a webhook: its URL answers 404 from then on',
    auth: true,
    status: 204,
    errors: [401, 403, 404],
  },
  {
    method: 'post',
    path: '/hooks/{id}',
    tag: 'webhooks',
    summary:
      'A signed (or token) call: starts the workflow with the JSON body as input (HMAC-SHA256, 5 min tolerance, no replays; rate limited per webhook)',
    auth: false,
    status: 202,
    response: startExecutionResultSchema,
    errors: [400, 401, 404, 413, 415, 429],
  },
];
