import { randomUUID } from 'node:crypto';
import { waitFor } from '@flowstack/testing';
import type { ApiClient, ApiResponse } from './api-client';

export const PASSWORD = 'correct horse battery';

/** A run that waits 300 s in its delay node: it stays running (watchable, cancellable) for the whole file. */
export const slowGraph = (marker: string) => ({
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'wait', type: 'delay', config: { seconds: 300 } },
    { id: 'done', type: 'output', config: { value: { marker } } },
  ],
  edges: [
    { from: 'start', to: 'wait' },
    { from: 'wait', to: 'done' },
  ],
});

/** The kinds of id a path or body parameter can name. */
export type Kind =
  | 'workspace'
  | 'workflow'
  | 'version'
  | 'execution'
  | 'value'
  | 'credential'
  | 'agent'
  | 'tool'
  | 'schedule'
  | 'webhook'
  | 'trigger'
  | 'notification'
  | 'apiKey'
  | 'invitation'
  | 'member';

/**
 * The collection a path parameter follows (`/workflows/{id}`) names its kind; a body field
 * `<noun>Id` names it too. A route whose parameter follows an unknown collection fails the suite
 * with its name: a new route must be given its kind here.
 */
export const KIND_OF_COLLECTION: Record<string, Kind> = {
  workspaces: 'workspace',
  workflows: 'workflow',
  versions: 'version',
  executions: 'execution',
  values: 'value',
  credentials: 'credential',
  agents: 'agent',
  tools: 'tool',
  schedules: 'schedule',
  webhooks: 'webhook',
  hooks: 'webhook',
  triggers: 'trigger',
  notifications: 'notification',
  'api-keys': 'apiKey',
  invitations: 'invitation',
  members: 'member',
};
export const KIND_OF_BODY_FIELD: Record<string, Kind | 'not a resource'> = {
  workflowId: 'workflow',
  sourceWorkflowId: 'workflow',
  targetWorkflowId: 'workflow',
  credentialId: 'credential',
  toolId: 'tool',
  agentId: 'agent',
  /** A node of the run's graph (`human_gate`), not a stored resource. */
  nodeId: 'not a resource',
  /** A node of the source run's graph (`POST /executions/{id}/fork`), not a stored resource. */
  fromNodeId: 'not a resource',
  /** The client's idempotency key of a credit grant (any string it picks), not a stored resource. */
  grantId: 'not a resource',
};

/** A user with their own workspace, one resource of every kind in it, and an admin API key. */
export interface Tenant {
  label: string;
  marker: string;
  /** The raw value of its credential: it must never appear in any answer. */
  secret: string;
  email: string;
  userId: string;
  token: string;
  key: string;
  /** The signing secret of its webhook (shown once, at creation). */
  webhookSecret: string;
  /** The single-use token of its pending invitation (to an email nobody has registered). */
  invitationToken: string;
  ids: Record<Kind, string>;
  /** Every name and free text the tenant wrote (each carries `marker`). */
  texts: string[];
  client: ApiClient;
}

const must = (res: ApiResponse, status: number, what: string): any => {
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Registers a user and creates one of every resource in their workspace. */
export async function createTenant(api: ApiClient, label: string): Promise<Tenant> {
  const marker = `${label}-marker-${randomUUID().slice(0, 8)}`;
  const secret = `sk-${label}-secret-${randomUUID()}`;
  const email = `${label}-${randomUUID()}@example.com`;
  const reg = must(await api.post('/api/v1/auth/register', { email, password: PASSWORD }), 201, 'register');
  const token: string = reg.token;
  const own: string = reg.workspace.id;
  const c = api.as(token);
  const short = marker.replace(/[^a-z0-9]/g, '_');
  const credential = must(
    await c.post('/api/v1/credentials', { name: `cred_${short}`, kind: 'api_key', value: secret }),
    201,
    'credential',
  );
  const tool = must(
    await c.post('/api/v1/tools', { name: `${marker} tool`, kind: 'builtin', config: { operation: 'noop' } }),
    201,
    'tool',
  );
  const agent = must(
    await c.post('/api/v1/agents', {
      name: `${marker} agent`,
      provider: 'openai',
      model: 'gpt-4o-mini',
      systemPrompt: `${marker} prompt`,
      credentialId: credential.id,
    }),
    201,
    'agent',
  );
  must(await c.post(`/api/v1/agents/${agent.id}/tools`, { toolId: tool.id }), 201, 'link');
  const workflow = must(
    await c.post('/api/v1/workflows', { name: `${marker} workflow`, graph: slowGraph(marker) }),
    201,
    'workflow',
  );
  // An input above the inline limit (64 KiB) is stored out of band: the run has a value to download.
  const big = { marker, text: `${marker}${'z'.repeat(70_000)}` };
  const run = must(await c.post(`/api/v1/workflows/${workflow.id}/executions`, { input: big }), 202, 'execution');
  const started = await waitFor(
    async () => {
      const events = await c.get(`/api/v1/executions/${run.executionId}/events`);
      return events.body?.items?.find((e: any) => e.type === 'ExecutionStarted');
    },
    'the run to start',
    15_000,
    50,
  );
  const schedule = must(
    await c.post('/api/v1/schedules', { workflowId: workflow.id, kind: 'cron', cron: '0 0 1 1 *', timezone: 'UTC' }),
    201,
    'schedule',
  );
  const webhook = must(await c.post('/api/v1/webhooks', { workflowId: workflow.id }), 201, 'webhook');
  const trigger = must(
    await c.post('/api/v1/triggers', { sourceWorkflowId: workflow.id, targetWorkflowId: workflow.id, condition: 'false' }),
    201,
    'trigger',
  );
  const notification = must(
    await c.post('/api/v1/notifications', { workflowId: workflow.id, channel: 'generic', url: `https://example.com/${marker}` }),
    201,
    'notification',
  );
  const key = must(await c.post(`/api/v1/workspaces/${own}/api-keys`, { name: `${marker} key`, role: 'admin' }), 201, 'key');
  const invitation = must(
    await c.post(`/api/v1/workspaces/${own}/invitations`, { email: `invitee-${marker}@example.com`, role: 'viewer' }),
    201,
    'invitation',
  );
  return {
    label,
    marker,
    secret,
    email,
    userId: reg.user.id,
    token,
    key: key.key,
    webhookSecret: webhook.secret,
    invitationToken: invitation.token,
    ids: {
      workspace: own,
      workflow: workflow.id,
      version: '1',
      execution: run.executionId,
      value: started.data.input.sha256,
      credential: credential.id,
      agent: agent.id,
      tool: tool.id,
      schedule: schedule.id,
      webhook: webhook.id,
      trigger: trigger.id,
      notification: notification.id,
      apiKey: key.id,
      invitation: invitation.id,
      member: reg.user.id,
    },
    texts: [marker, `cred_${short}`, email],
    client: c,
  };
}

/** Every string of `tenant` that must never reach another tenant (ids, names, markers, its email). */
export function secretsOf(tenant: Tenant): string[] {
  return [
    ...Object.entries(tenant.ids)
      .filter(([kind]) => kind !== 'version')
      .map(([, id]) => id),
    ...tenant.texts,
    tenant.secret,
    tenant.key,
    tenant.webhookSecret,
    tenant.invitationToken,
  ];
}
