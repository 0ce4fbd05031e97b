import { randomUUID } from 'node:crypto';
import { namespaceOf } from '@flowstack/contracts';
import { startAuthNatsServer, startPlatform, waitFor, type AuthNatsServer, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, watchExecution, type Tenant } from './api-client';
import { Upstream } from './upstream-server';

jest.setTimeout(120_000);

/**
 * Cancel and gate decisions under exactly the permissions of `busPermissions` (each service on
 * its own credentials): the gateway may call `orchestrator.execution.cancel` and
 * `...approval.decide`, the orchestrator may publish `control.cancel.<executionId>`, and the
 * tool-runner may subscribe to it, so the running http call is aborted.
 */
describe('cancel and approvals under per-service NATS permissions', () => {
  const ns = namespaceOf(`ctlauth_${randomUUID().slice(0, 8)}`);
  let nats: AuthNatsServer;
  let platform: TestPlatform;
  let upstream: Upstream;
  let tenant: Tenant;

  beforeAll(async () => {
    upstream = await new Upstream().start();
    nats = await startAuthNatsServer(ns);
    try {
      platform = await startPlatform({
        label: 'ctlauth',
        env: { NATS_URL: nats.url, FLOWSTACK_NS: ns.prefix },
        serviceEnv: nats.serviceEnv,
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}\nnats-server:\n${nats.output()}`);
    }
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'ctlauth');
  });

  afterAll(async () => {
    await platform?.stop();
    await nats?.stop();
    await upstream?.stop();
  });

  it('cancels a hanging http call and decides a gate', async () => {
    const graph = {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'gate', type: 'human_gate', config: { prompt: 'Call the slow API?' } },
        {
          id: 'call',
          type: 'tool',
          config: { tool: { kind: 'http', method: 'POST', url: `${upstream.url}/hang`, body: { run: '{{ input.run }}' } } },
        },
        { id: 'no', type: 'output', config: { value: 'not called' } },
      ],
      edges: [
        { from: 'in', to: 'gate' },
        { from: 'gate', to: 'call', when: 'approved' },
        { from: 'gate', to: 'no', when: 'rejected' },
      ],
    };
    const workflowId = await createWorkflow(tenant.client, 'ctl', graph);
    const executionId = (await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run: 'auth-1' } }))
      .body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
    await waitFor(() => live.messages.some((m) => m.type === 'approval_requested'), 'approval_requested');
    const decided = await tenant.client.post(`/api/v1/executions/${executionId}/approvals`, {
      nodeId: 'gate',
      decision: 'approved',
    });
    expect(decided.status).toBe(200);
    await waitFor(() => upstream.hanging.has('auth-1'), 'the approved http call to reach the server');
    const cancelled = await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, { reason: 'stop' });
    expect(cancelled.status).toBe(200);
    await waitFor(() => upstream.closed.has('auth-1'), 'the server to see the connection close', 10_000);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'cancelled', reason: 'stop' });
    expect(nats.output()).not.toMatch(/Violation[^\n]*(control\.cancel|execution\.(cancel|approval))/);
  });
});
