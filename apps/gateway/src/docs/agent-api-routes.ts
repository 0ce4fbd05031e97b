import {
  agentInvokeResultSchema,
  agentInvokeSchema,
  agentToolViewSchema,
  agentViewSchema,
  createAgentSchema,
  createCredentialSchema,
  createToolSchema,
  credentialViewSchema,
  linkAgentToolSchema,
  listQuerySchema,
  pageSchemaOf,
  testToolSchema,
  toolDiscoverResultSchema,
  toolTestResultSchema,
  toolViewSchema,
  updateAgentSchema,
  updateCredentialSchema,
  updateToolSchema,
} from '@flowstack/contracts';
import type { z } from 'zod';
import type { ApiRoute } from './api-routes';

type Resource = {
  path: string;
  tag: string;
  noun: string;
  view: z.ZodType;
  create: ApiRoute['body'];
  update: ApiRoute['body'];
};

/** CRUD routes of one registry resource: POST and GET on the collection, GET, PATCH and DELETE on one. */
const crud = ({ path, tag, noun, view, create, update }: Resource, writeNote: string): ApiRoute[] => [
  {
    method: 'post',
    path,
    tag,
    summary: `Create ${noun} (${writeNote})`,
    auth: true,
    body: create,
    status: 201,
    response: view,
    errors: [400, 401, 403, 409],
  },
  {
    method: 'get',
    path,
    tag,
    summary: `List ${noun}s, newest first (cursor page)`,
    auth: true,
    query: listQuerySchema,
    status: 200,
    response: pageSchemaOf(view),
    errors: [400, 401],
  },
  {
    method: 'get',
    path: `${path}/{id}`,
    tag,
    summary: `One ${noun}`,
    auth: true,
    status: 200,
    response: view,
    errors: [401, 404],
  },
  {
    method: 'patch',
    path: `${path}/{id}`,
    tag,
    summary: `Change the given fields of ${noun} (${writeNote}; null clears an optional field)`,
    auth: true,
    body: update,
    status: 200,
    response: view,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: `${path}/{id}`,
    tag,
    summary: `Soft-delete ${noun} (${writeNote})`,
    auth: true,
    status: 204,
    errors: [401, 403, 404, 409],
  },
];

/** The routes of credentials, agents, tools and agent-tool links; spread into `API_ROUTES`. */
export const AGENT_API_ROUTES: readonly ApiRoute[] = [
  ...crud(
    {
      path: '/api/v1/credentials',
      tag: 'credentials',
      noun: 'a credential',
      view: credentialViewSchema,
      create: createCredentialSchema,
      update: updateCredentialSchema,
    },
    'admins; the value is write-only',
  ),
  ...crud(
    {
      path: '/api/v1/agents',
      tag: 'agents',
      noun: 'an agent',
      view: agentViewSchema,
      create: createAgentSchema,
      update: updateAgentSchema,
    },
    'editors',
  ),
  {
    method: 'post',
    path: '/api/v1/agents/{id}/tools',
    tag: 'agents',
    summary: 'Link a tool of this workspace to the agent (409 when already linked)',
    auth: true,
    body: linkAgentToolSchema,
    status: 201,
    response: agentToolViewSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/agents/{id}/tools',
    tag: 'agents',
    summary: "The agent's linked tools, newest link first (cursor page)",
    auth: true,
    query: listQuerySchema,
    status: 200,
    response: pageSchemaOf(agentToolViewSchema),
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/agents/{id}/invoke',
    tag: 'agents',
    summary:
      'Run the agent once on a conversation, as an execution (workflowId agent:<id>); JSON, or with stream: true Server-Sent Events (execution, token..., done | error)',
    auth: true,
    body: agentInvokeSchema,
    status: 200,
    response: agentInvokeResultSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'delete',
    path: '/api/v1/agents/{id}/tools/{toolId}',
    tag: 'agents',
    summary: 'Unlink a tool from the agent',
    auth: true,
    status: 204,
    errors: [401, 403, 404],
  },
  ...crud(
    {
      path: '/api/v1/tools',
      tag: 'tools',
      noun: 'a tool',
      view: toolViewSchema,
      create: createToolSchema,
      update: updateToolSchema,
    },
    'editors',
  ),
  {
    method: 'post',
    path: '/api/v1/tools/{id}/test',
    tag: 'tools',
    summary: 'Run the tool once with args (audited); 200 { ok, output | error } also when the tool fails',
    auth: true,
    body: testToolSchema,
    status: 200,
    response: toolTestResultSchema,
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/tools/{id}/discover',
    tag: 'tools',
    summary: "List an mcp tool's server tools and pin their definitions (409 for other kinds or an unreachable server)",
    auth: true,
    status: 200,
    response: toolDiscoverResultSchema,
    errors: [401, 403, 404, 409],
  },
];
