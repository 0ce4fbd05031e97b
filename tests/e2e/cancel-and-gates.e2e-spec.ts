import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Rpc, namespaceOf, type RequestContext } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { TEST_NATS_URL, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, watchExecution, type Tenant } from './api-client';
import { Upstream } from './upstream-server';

jest.setTimeout(120_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

/**
 * Cancel and the human gate through the gateway, as a client sees them: REST answers and the
 * event log, the WebSocket, and the upstream server the http nodes call (a real local server).
 */
describe('cancel and human gates', () => {
  let platform: TestPlatform;
  let upstream: Upstream;
  let tenant: Tenant;
  let other: Tenant;
  let userId: string;

  beforeAll(async () => {
    upstream = await new Upstream().start();
    platform = await startPlatform({ label: 'gate' });
    const api = new ApiClient(platform.baseUrl);
    [tenant, other] = await Promise.all([registerTenant(api, 'gate'), registerTenant(api, 'gate-other')]);
    userId = (await tenant.client.get('/api/v1/auth/me')).body.user.id;
  });

  afterAll(async () => {
    await platform?.stop();
    await upstream?.stop();
  });

  const http = (path: string, body: Record<string, unknown> = { run: '{{ input.run }}' }) => ({
    tool: { kind: 'http', method: 'POST', url: `${upstream.url}${path}`, body },
  });
  const start = async (graph: object, run: string): Promise<string> => {
    const workflowId = await createWorkflow(tenant.client, `wf-${run}`, graph);
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
    expect(res.status).toBe(202);
    return res.body.executionId as string;
  };
  const eventsOf = async (executionId: string): Promise<EventItem[]> =>
    (await tenant.client.get(`/api/v1/executions/${executionId}/events`)).body.items as EventItem[];
  const viewOf = async (executionId: string) => (await tenant.client.get(`/api/v1/executions/${executionId}`)).body;

  describe('cancel', () => {
    const hangGraph = () => ({
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'call', type: 'tool', label: 'Hangs', config: http('/hang') },
        { id: 'after', type: 'tool', config: http('/after') },
        { id: 'out', type: 'output', config: { value: '{{ nodes.after.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'call' },
        { from: 'call', to: 'after' },
        { from: 'after', to: 'out' },
      ],
    });

    it('aborts the running http call (the server sees the connection close), cancels the rest, and tells the socket', async () => {
      const executionId = await start(hangGraph(), 'hang-1');
      const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
      await waitFor(() => upstream.hanging.has('hang-1'), 'the http node to reach the upstream server');
      expect(upstream.closed.has('hang-1')).toBe(false);

      const res = await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, { reason: 'taking too long' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: executionId,
        status: 'cancelled',
        cancellation: { by: userId, reason: 'taking too long' },
        nodes: {
          in: { status: 'succeeded' },
          call: { status: 'cancelled' },
          after: { status: 'cancelled', attempts: 0 },
          out: { status: 'cancelled' },
        },
      });
      expect(typeof res.body.finishedAt).toBe('string');

      // Well within the http tool's own 30 s timeout: the cancel signal aborted the request.
      await waitFor(() => upstream.closed.has('hang-1'), 'the upstream server to see the connection close', 10_000);
      await live.closed;
      expect(live.messages.at(-1)).toMatchObject({
        type: 'execution_complete',
        status: 'cancelled',
        by: userId,
        reason: 'taking too long',
        totalCost: 0,
      });

      const events = await eventsOf(executionId);
      const cancelled = events.filter((e) => e.type === 'ExecutionCancelled');
      expect(cancelled).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ by: userId, reason: 'taking too long', cancelledNodes: ['call', 'after', 'out'] }),
        }),
      ]);
      expect(events.at(-1)!.type).toBe('ExecutionCancelled');
      expect(upstream.callsTo('/after', 'hang-1')).toBe(0);

      // Idempotent: the same 200 and the same state, no second event.
      const again = await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, {});
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body);
      // The aborted attempt's result (code `cancelled`) reaches the orchestrator and is ignored.
      const view = await viewOf(executionId);
      expect(view).toEqual(res.body);
      expect((await eventsOf(executionId)).length).toBe(events.length);
    });

    it('answers 409 problem+json for a completed run, 404 for another workspace, 400 for a bad body', async () => {
      const quick = {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'out', type: 'output', config: { value: 'done' } },
        ],
        edges: [{ from: 'in', to: 'out' }],
      };
      const done = await start(quick, 'quick-1');
      await waitFor(async () => (await viewOf(done)).status === 'completed', 'the quick run to complete');
      const conflict = await tenant.client.post(`/api/v1/executions/${done}/cancel`, {});
      expect(conflict.status).toBe(409);
      expect(conflict.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(conflict.body).toMatchObject({ status: 409, code: 'conflict', detail: `execution ${done} is completed already` });

      const running = await start(hangGraph(), 'hang-2');
      await waitFor(() => upstream.hanging.has('hang-2'), 'the second http node to reach the upstream server');
      const stranger = await other.client.post(`/api/v1/executions/${running}/cancel`, {});
      expect(stranger.status).toBe(404);
      expect(stranger.body).toMatchObject({ code: 'not_found' });
      expect((await viewOf(running)).status).toBe('running');
      expect((await tenant.client.post('/api/v1/executions/not-a-uuid/cancel', {})).status).toBe(404);

      const bad = await tenant.client.post(`/api/v1/executions/${running}/cancel`, { reason: 42 });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'reason' })] });
      const extra = await tenant.client.post(`/api/v1/executions/${running}/cancel`, { force: true });
      expect(extra.status).toBe(400);

      expect((await tenant.client.post(`/api/v1/executions/${running}/cancel`, {})).status).toBe(200);
      await waitFor(() => upstream.closed.has('hang-2'), 'the second connection to close');
    });
  });

  describe('human gate', () => {
    /** Seed 001's Auto-Healing pipeline, with http and transform nodes in place of its agents. */
    const autoHealing = (gate: Record<string, unknown> = {}) => ({
      entry_point: 'detect_issue',
      nodes: [
        { id: 'detect_issue', type: 'input', label: 'API key expiry alert' },
        {
          id: 'diagnose',
          type: 'tool',
          label: 'Diagnose',
          config: http('/diagnose', { run: '{{ input.run }}', alert: '{{ input }}' }),
        },
        {
          id: 'plan_recovery',
          type: 'transform',
          label: 'Plan recovery',
          config: { expression: '{ "steps": ["rotate key", "redeploy"], "cause": nodes.diagnose.output.path }' },
        },
        {
          id: 'review_plan',
          type: 'tool',
          label: 'Review plan',
          config: http('/review', { run: '{{ input.run }}', plan: '{{ nodes.plan_recovery.output }}' }),
        },
        {
          id: 'await_approval',
          type: 'human_gate',
          label: 'Chairman approval',
          config: { prompt: 'Approve the recovery plan?', ...gate },
        },
        { id: 'execute_recovery', type: 'tool', label: 'Execute', config: http('/execute') },
        {
          id: 'verify_recovery',
          type: 'transform',
          label: 'Verify',
          config: { expression: 'nodes.execute_recovery.output.status = 200' },
        },
        {
          id: 'notify',
          type: 'tool',
          label: 'Notify',
          config: http('/notify', { run: '{{ input.run }}', approvedBy: '{{ nodes.await_approval.output.by }}' }),
        },
        {
          id: 'done',
          type: 'output',
          config: { value: { verified: '{{ nodes.verify_recovery.output }}', decision: '{{ nodes.await_approval.output }}' } },
        },
        { id: 'rejected', type: 'output', config: { value: { rejected: '{{ nodes.await_approval.output }}' } } },
      ],
      edges: [
        { from: 'detect_issue', to: 'diagnose' },
        { from: 'diagnose', to: 'plan_recovery' },
        { from: 'plan_recovery', to: 'review_plan' },
        { from: 'review_plan', to: 'await_approval' },
        { from: 'await_approval', to: 'execute_recovery', when: 'approved' },
        { from: 'execute_recovery', to: 'verify_recovery' },
        { from: 'verify_recovery', to: 'notify' },
        { from: 'notify', to: 'done' },
        { from: 'await_approval', to: 'rejected', when: 'rejected' },
      ],
    });

    it('runs Auto-Healing headless: the gate waits, is approved over the API while a WebSocket watches, and the run ends', async () => {
      const executionId = await start(autoHealing(), 'heal-1');
      const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
      const requested = await waitFor(
        () => live.messages.find((m) => m.type === 'approval_requested'),
        'the approval_requested message',
      );
      expect(requested).toMatchObject({
        nodeId: 'await_approval',
        prompt: 'Approve the recovery plan?',
        approverRole: 'editor',
        executionId,
      });
      const waiting = await viewOf(executionId);
      expect(waiting).toMatchObject({
        status: 'awaiting_approval',
        nodes: {
          review_plan: { status: 'succeeded' },
          await_approval: {
            status: 'awaiting_approval',
            approval: { prompt: 'Approve the recovery plan?', approverRole: 'editor' },
          },
          execute_recovery: { status: 'pending' },
        },
      });
      expect(upstream.callsTo('/execute', 'heal-1')).toBe(0);

      const decided = await tenant.client.post(`/api/v1/executions/${executionId}/approvals`, {
        nodeId: 'await_approval',
        decision: 'approved',
        comment: 'go ahead',
      });
      expect(decided.status).toBe(200);
      expect(decided.body.nodes.await_approval).toMatchObject({
        status: 'succeeded',
        output: { decision: 'approved', comment: 'go ahead', by: userId },
      });
      expect(decided.body.nodes.rejected.status).toBe('skipped');

      await live.closed;
      expect(live.messages.at(-1)).toMatchObject({
        type: 'execution_complete',
        status: 'completed',
        output: { verified: true, decision: { decision: 'approved', comment: 'go ahead', by: userId } },
      });
      const decidedMessage = live.messages.find((m) => m.type === 'approval_decided');
      expect(decidedMessage).toMatchObject({
        nodeId: 'await_approval',
        decision: 'approved',
        by: userId,
        comment: 'go ahead',
        timedOut: false,
      });
      const order = live.messages.filter((m) => m.type === 'step_complete').map((m) => m.nodeId);
      expect(order).toEqual([
        'detect_issue',
        'diagnose',
        'plan_recovery',
        'review_plan',
        'await_approval',
        'execute_recovery',
        'verify_recovery',
        'notify',
        'done',
      ]);
      expect(upstream.calls.find((c) => c.path === '/notify' && c.body.run === 'heal-1')!.body.approvedBy).toBe(userId);

      const events = await eventsOf(executionId);
      const gateEvents = events.filter((e) => e.type.startsWith('Approval'));
      expect(gateEvents.map((e) => e.type)).toEqual(['ApprovalRequested', 'ApprovalDecided']);
      expect(gateEvents[1].data).toMatchObject({
        decision: 'approved',
        by: userId,
        role: 'admin',
        comment: 'go ahead',
        timedOut: false,
      });
      expect(Date.parse(gateEvents[1].data.decidedAt)).toBeGreaterThanOrEqual(Date.parse(gateEvents[0].data.requestedAt));

      // A second decision, even the same one, is refused.
      const second = await tenant.client.post(`/api/v1/executions/${executionId}/approvals`, {
        nodeId: 'await_approval',
        decision: 'approved',
      });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: 'conflict' });
    });

    it('routes a rejection to the rejected branch; refuses bad decisions with specific answers', async () => {
      const executionId = await start(autoHealing(), 'heal-2');
      await waitFor(async () => (await viewOf(executionId)).status === 'awaiting_approval', 'the gate to wait');
      const approvals = `/api/v1/executions/${executionId}/approvals`;

      const notAGate = await tenant.client.post(approvals, { nodeId: 'diagnose', decision: 'approved' });
      expect(notAGate.status).toBe(409);
      expect(notAGate.body.detail).toBe("node 'diagnose' is not awaiting approval (it is succeeded)");
      const pending = await tenant.client.post(approvals, { nodeId: 'execute_recovery', decision: 'approved' });
      expect(pending.status).toBe(409);
      expect((await tenant.client.post(approvals, { nodeId: 'ghost', decision: 'approved' })).status).toBe(404);
      const bad = await tenant.client.post(approvals, { nodeId: 'await_approval', decision: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'decision' })]);
      expect((await tenant.client.post(approvals, { decision: 'approved' })).status).toBe(400);
      expect((await other.client.post(approvals, { nodeId: 'await_approval', decision: 'approved' })).status).toBe(404);

      const res = await tenant.client.post(approvals, { nodeId: 'await_approval', decision: 'rejected', comment: 'too risky' });
      expect(res.status).toBe(200);
      const view = await waitFor(async () => {
        const v = await viewOf(executionId);
        return v.status === 'completed' && v;
      }, 'the rejected run to complete');
      expect(view.output).toEqual({ rejected: { decision: 'rejected', comment: 'too risky', by: userId } });
      expect(view.nodes).toMatchObject({
        execute_recovery: { status: 'skipped' },
        verify_recovery: { status: 'skipped' },
        notify: { status: 'skipped' },
        done: { status: 'skipped' },
        rejected: { status: 'succeeded' },
      });
      expect(upstream.callsTo('/execute', 'heal-2')).toBe(0);
    });

    it('decides onTimeout by system when timeoutSeconds pass (a durable approval_timeout timer)', async () => {
      const executionId = await start(autoHealing({ timeoutSeconds: 1, onTimeout: 'approved' }), 'heal-3');
      const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
      await live.closed;
      const requested = live.messages.find((m) => m.type === 'approval_requested');
      expect(requested).toMatchObject({ nodeId: 'await_approval', onTimeout: 'approved' });
      expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
      expect(live.messages.find((m) => m.type === 'approval_decided')).toMatchObject({
        decision: 'approved',
        by: 'system',
        timedOut: true,
      });
      const events = await eventsOf(executionId);
      const fired = events.find((e) => e.type === 'TimerFired')!;
      expect(fired.data).toMatchObject({
        kind: 'approval_timeout',
        nodeId: 'await_approval',
        timerId: 'approval:await_approval:1',
      });
      expect(Date.parse(fired.data.firedAt)).toBeGreaterThanOrEqual(Date.parse(requested.dueAt));
      expect(upstream.callsTo('/execute', 'heal-3')).toBe(1);
    });

    it('cancel while awaiting approval cancels the gate; a decision afterwards is 409', async () => {
      const executionId = await start(autoHealing(), 'heal-4');
      await waitFor(async () => (await viewOf(executionId)).status === 'awaiting_approval', 'the gate to wait');
      const res = await tenant.client.post(`/api/v1/executions/${executionId}/cancel`, {});
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancellation: { reason: null },
        nodes: { await_approval: { status: 'cancelled' } },
      });
      const late = await tenant.client.post(`/api/v1/executions/${executionId}/approvals`, {
        nodeId: 'await_approval',
        decision: 'approved',
      });
      expect(late.status).toBe(409);
      expect(late.body.detail).toBe(`execution ${executionId} is cancelled already`);
    });

    it('a gate timeout survives SIGKILL and restart of the orchestrator (the approval_timeout timer is durable)', async () => {
      const executionId = await start(autoHealing({ timeoutSeconds: 3, onTimeout: 'rejected' }), 'heal-6');
      const live = await watchExecution(platform.wsUrl, executionId, tenant.token);
      const requested = await waitFor(() => live.messages.find((m) => m.type === 'approval_requested'), 'approval_requested');
      expect(Date.now()).toBeLessThan(Date.parse(requested.dueAt));
      await platform.services.get('orchestrator')!.kill();
      await platform.start('orchestrator');
      const restartedAt = Date.now();
      await live.closed;
      expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed' });
      const events = await eventsOf(executionId);
      const fired = events.filter((e) => e.type === 'TimerFired');
      expect(fired).toHaveLength(1);
      expect(
        events.filter((e) => e.type === 'ApprovalDecided').map((e) => [e.data.decision, e.data.by, e.data.timedOut]),
      ).toEqual([['rejected', 'system', true]]);
      const firedAt = Date.parse(fired[0].data.firedAt);
      expect(firedAt).toBeGreaterThanOrEqual(Date.parse(requested.dueAt));
      expect(firedAt - Math.max(Date.parse(requested.dueAt), restartedAt)).toBeLessThan(1_500);
      expect((await viewOf(executionId)).output).toEqual({ rejected: { decision: 'rejected', comment: null, by: 'system' } });
    });

    it('the orchestrator refuses a viewer when the gate needs an editor (checked at the RPC, identity cannot add a viewer yet)', async () => {
      const executionId = await start(autoHealing(), 'heal-5');
      await waitFor(async () => (await viewOf(executionId)).status === 'awaiting_approval', 'the gate to wait');
      const nc: NatsConnection = await connect({ servers: TEST_NATS_URL });
      try {
        const rpc = new RpcClient(nc, namespaceOf(platform.env.FLOWSTACK_NS), 5_000);
        const as = (role: 'viewer' | 'editor'): RequestContext => ({
          workspaceId: tenant.workspaceId,
          actor: { id: `${role}-1`, type: 'user', role },
          correlationId: `gate-${role}`,
        });
        const payload = { executionId, nodeId: 'await_approval', decision: 'approved' };
        await expect(rpc.request(Rpc.executionControl.decideApproval, payload, as('viewer'))).rejects.toMatchObject({
          code: 'forbidden',
          message: "deciding node 'await_approval' needs the editor role or a stronger one (you are viewer)",
        });
        await expect(rpc.request(Rpc.executionControl.cancel, { executionId }, as('viewer'))).rejects.toMatchObject({
          code: 'forbidden',
        });
        expect((await viewOf(executionId)).status).toBe('awaiting_approval');
        const view = await rpc.request<any>(Rpc.executionControl.decideApproval, payload, as('editor'));
        expect(view.nodes.await_approval.output).toEqual({ decision: 'approved', comment: null, by: 'editor-1' });
      } finally {
        await nc.close();
      }
    });
  });
});
