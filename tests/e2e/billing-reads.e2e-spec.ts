import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { MICRO_CREDITS_PER_CREDIT, Rpc, namespaceOf, type RequestContext } from '@flowstack/contracts';
import { RpcClient, connectNats } from '@flowstack/messaging';
import { FakeLlmServer, TEST_NATS_URL, fakeReply, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type ApiResponse, type Tenant } from './api-client';

jest.setTimeout(240_000);

const CREDIT = MICRO_CREDITS_PER_CREDIT;

/**
 * Issue 12's reads through the gateway, on the whole platform: `GET /usage` from billing's usage
 * projection (runs of an agent workflow on a fake OpenAI server, and a failing one), the execution
 * export as JSON Lines whose hash chain `npm run verify-export` accepts and, with one byte
 * changed, refuses at that line; another workspace's run is 404; and credit grants in `GET /audit`.
 */
describe('usage, execution export and the billing audit', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let openai: FakeLlmServer;
  let alice: Tenant;
  let aliceId: string;
  let bob: Tenant;
  let nc: NatsConnection;
  let bus: RpcClient;
  let agentId: string;
  let agentWorkflow: string;
  let failingWorkflow: string;
  const runs: string[] = [];

  beforeAll(async () => {
    openai = await new FakeLlmServer('openai').start();
    platform = await startPlatform({ label: 'billreads' });
    api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([registerTenant(api, 'usage-alice'), registerTenant(api, 'usage-bob')]);
    alice = { ...alice, client: api.as(alice.token, alice.workspaceId) };
    aliceId = (await alice.client.get('/api/v1/auth/me')).body.user.id;
    nc = await connectNats({ url: TEST_NATS_URL, name: 'billing-reads-e2e' });
    bus = new RpcClient(nc, namespaceOf(platform.env.FLOWSTACK_NS), 30_000);
    const credential = await alice.client.post('/api/v1/credentials', { name: 'llm_key', kind: 'api_key', value: 'sk-usage' });
    expect(credential.status).toBe(201);
    const agent = await alice.client.post('/api/v1/agents', {
      name: 'summarizer',
      provider: 'openai',
      model: 'gpt-4o-mini',
      credentialId: credential.body.id,
      baseUrl: openai.baseUrl,
      costPerRun: 1000,
    });
    expect(agent.status).toBe(201);
    agentId = agent.body.id;
    agentWorkflow = await createWorkflow(alice.client, `usage-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId, prompt: 'Summarize {{ input.topic }}.' } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output.text }}' } },
      ],
      edges: [
        { from: 'in', to: 'ask' },
        { from: 'ask', to: 'out' },
      ],
    });
    failingWorkflow = await createWorkflow(alice.client, `failing-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'check', type: 'validation', config: { schema: { type: 'object', required: ['x'] } } },
      ],
      edges: [{ from: 'in', to: 'check' }],
    });
  });

  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await openai?.stop();
  });

  const expectProblem = (res: ApiResponse, status: number, path?: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    if (path) expect(res.body.errors.map((e: any) => e.path)).toContain(path);
  };
  const run = async (workflowId: string, input: unknown, expected: string): Promise<string> => {
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(res.status).toBe(202);
    const id: string = res.body.executionId;
    const view = await waitFor(
      async () => {
        const v = (await alice.client.get(`/api/v1/executions/${id}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(v.status) ? v : undefined;
      },
      `execution ${id} to end`,
      60_000,
      50,
    );
    expect(view.status).toBe(expected);
    runs.push(id);
    return id;
  };

  it("records an admin's grant in the audit log with its actor; the type filter picks it", async () => {
    expect(
      (await alice.client.post('/api/v1/credits/grants', { amount: 50 * CREDIT, reason: 'e2e', grantId: 'g-usage' })).status,
    ).toBe(201);
    const granted = await alice.client.get('/api/v1/audit?type=CreditsGranted');
    expect(granted.status).toBe(200);
    expect(granted.body.items).toEqual([
      expect.objectContaining({
        type: 'CreditsGranted',
        stream: `credits-${alice.workspaceId}`,
        actor: expect.objectContaining({ id: aliceId, type: 'user' }),
        data: expect.objectContaining({ amount: 50 * CREDIT, grantId: 'g-usage', grantedBy: aliceId, reason: 'e2e' }),
      }),
    ]);
    const all = (await alice.client.get('/api/v1/audit?limit=200')).body.items.map((e: any) => e.type);
    expect(all).toEqual(expect.arrayContaining(['CreditsGranted', 'UserRegistered']));
    const logins = (await alice.client.get('/api/v1/audit?type=UserRegistered')).body.items.map((e: any) => e.type);
    expect(new Set(logins)).toEqual(new Set(['UserRegistered']));
    // Another workspace's audit holds nothing of Alice's ledger.
    const theirs = await api.as(bob.token, bob.workspaceId).get('/api/v1/audit?type=CreditsGranted');
    expect(theirs.body.items).toEqual([]);
  });

  it('reports tokens, cost, runs, success rate and duration by workflow, agent, model and day', async () => {
    openai.enqueue(fakeReply.text('One.', { inputTokens: 100, outputTokens: 20 }));
    await run(agentWorkflow, { topic: 'a' }, 'completed');
    openai.enqueue(fakeReply.text('Two.', { inputTokens: 50, outputTokens: 10 }));
    await run(agentWorkflow, { topic: 'b' }, 'completed');
    await run(failingWorkflow, {}, 'failed');
    // What the runs' NodeCompleted events say they used (gpt-4o-mini at 0.15 and 0.6 micro-credits
    // per input and output token, plus costPerRun 1000): the report must add up to exactly that.
    const used = { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
    for (const id of runs.slice(0, 2)) {
      for (const e of (await alice.client.get(`/api/v1/executions/${id}/events?limit=1000`)).body.items) {
        if (e.type !== 'NodeCompleted' || !e.data.usage) continue;
        used.calls += 1;
        used.inputTokens += e.data.usage.inputTokens;
        used.outputTokens += e.data.usage.outputTokens;
        used.cost += e.data.cost;
      }
    }
    expect(used.calls).toBe(2);
    expect(used.inputTokens).toBeGreaterThan(0);
    expect(used.cost).toBeGreaterThan(2000);
    const byWorkflow = await waitFor(
      async () => {
        const res = await alice.client.get('/api/v1/usage?groupBy=workflow');
        const t = res.body?.totals;
        return t?.runs === 3 && t.succeeded === 2 && t.failed === 1 && t.calls === used.calls ? res : undefined;
      },
      'the usage projection to count the three runs',
      30_000,
      100,
    );
    expect(byWorkflow.status).toBe(200);
    const rows = Object.fromEntries(byWorkflow.body.items.map((r: any) => [r.key, r]));
    expect(rows[agentWorkflow]).toMatchObject({
      runs: 2,
      succeeded: 2,
      failed: 0,
      successRate: 1,
      ...used,
      avgDurationMs: expect.any(Number),
    });
    expect(rows[failingWorkflow]).toMatchObject({ runs: 1, succeeded: 0, failed: 1, successRate: 0, calls: 0, cost: 0 });
    expect(byWorkflow.body.totals).toMatchObject({ runs: 3, succeeded: 2, failed: 1, successRate: 0.6667, ...used });

    const byModel = (await alice.client.get('/api/v1/usage?groupBy=model')).body;
    expect(byModel.items).toEqual([
      expect.objectContaining({ key: 'gpt-4o-mini', runs: 2, calls: 2, outputTokens: used.outputTokens, cost: used.cost }),
    ]);
    const byAgent = (await alice.client.get('/api/v1/usage?groupBy=agent')).body;
    expect(byAgent.items).toEqual([
      expect.objectContaining({ key: agentId, runs: 2, succeeded: 2, inputTokens: used.inputTokens }),
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = (await alice.client.get('/api/v1/usage')).body;
    expect(byDay).toMatchObject({ groupBy: 'day', items: [expect.objectContaining({ key: today, runs: 3 })] });
    // A period before the runs: nothing.
    const before = await alice.client.get('/api/v1/usage?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&groupBy=workflow');
    expect(before.body).toMatchObject({ from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z', items: [] });
    // Another workspace sees its own (empty) usage.
    expect((await api.as(bob.token, bob.workspaceId).get('/api/v1/usage?groupBy=workflow')).body.totals.runs).toBe(0);
  });

  it('refuses bad usage queries naming the field', async () => {
    const c = alice.client;
    expectProblem(await c.get('/api/v1/usage?groupBy=week'), 400, 'query.groupBy');
    expectProblem(await c.get('/api/v1/usage?from=yesterday'), 400, 'query.from');
    expectProblem(await c.get('/api/v1/usage?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'query.to');
    expectProblem(await c.get('/api/v1/usage?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'query.to');
    expectProblem(await c.get('/api/v1/usage?from=2020-01-01T00:00:00Z'), 400, 'query.from');
    expectProblem(await c.get('/api/v1/usage?bucket=1'), 400);
    expectProblem(await new ApiClient(platform.baseUrl).get('/api/v1/usage'), 401);
  });

  it('exports a run as hash-chained JSON Lines the verifier accepts, and names the line of a one-byte change', async () => {
    const executionId = runs[0];
    // Ledger entries of this run, as the orchestrator asks billing for them.
    const ctx: RequestContext = {
      workspaceId: alice.workspaceId,
      actor: { id: 'orchestrator', type: 'system' },
      correlationId: randomUUID(),
    };
    const holdId = `${executionId}:e2e:1`;
    await bus.request(Rpc.billing.creditsHold, { holdId, amount: 5000, executionId, nodeId: 'ask' }, ctx);
    await bus.request(Rpc.billing.creditsCharge, { holdId, cost: 1027, causationEventId: `cause-${executionId}` }, ctx);

    const res = await fetch(`${platform.baseUrl}/api/v1/executions/${executionId}/export`, {
      headers: { authorization: `Bearer ${alice.token}`, 'x-workspace-id': alice.workspaceId },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed[0]).toMatchObject({ line: 1, kind: 'export', executionId, workspaceId: alice.workspaceId });
    const events = (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=1000`)).body.items;
    const eventLines = parsed.filter((p) => p.kind === 'event');
    expect(eventLines.map((p) => [p.seq, p.type])).toEqual(events.map((e: any) => [e.seq, e.type]));
    for (const p of eventLines) expect(p).toMatchObject({ eventId: expect.stringMatching(/^[0-9a-f-]{36}$/), schemaVersion: 1 });
    expect(new Set(eventLines.map((p) => p.eventId)).size).toBe(eventLines.length);
    const credits = parsed.filter((p) => p.kind === 'credit' && p.data.holdId === holdId);
    expect(credits.map((p) => p.type)).toEqual(['CreditsHeld', 'CreditsCharged', 'CreditsReleased']);
    expect(credits[1].data).toMatchObject({ amount: 1027, executionId, nodeId: 'ask' });
    expect(parsed.at(-1)).toMatchObject({ kind: 'end', events: events.length });

    const dir = mkdtempSync(join(tmpdir(), 'fs-export-e2e-'));
    const file = join(dir, 'run.jsonl');
    writeFileSync(file, text);
    const verify = () =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/verify-export.ts', file], { encoding: 'utf8' });
    expect(
      execFileSync(process.execPath, ['-r', '@swc-node/register', 'tools/verify-export.ts', file], { encoding: 'utf8' }),
    ).toMatch(new RegExp(`^OK: ${lines.length} lines`));
    // One byte of the NodeCompleted line: its output tokens.
    const target = parsed.findIndex((p) => p.kind === 'event' && p.type === 'NodeCompleted' && p.data.nodeId === 'ask');
    expect(target).toBeGreaterThan(0);
    const edited = [...lines];
    edited[target] = edited[target].replace('"outputTokens":20', '"outputTokens":21');
    expect(edited[target]).not.toBe(lines[target]);
    writeFileSync(file, `${edited.join('\n')}\n`);
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at line ${target + 1}: hash does not match the line`);
  });

  it('streams a run of more events and more ledger entries than one page holds, every one once, in order', async () => {
    const n = 300;
    const nodes = [
      { id: 'in', type: 'input' },
      ...Array.from({ length: n }, (_, i) => ({ id: `t${i}`, type: 'transform', config: { expression: `${i}` } })),
    ];
    const edges = Array.from({ length: n }, (_, i) => ({ from: i === 0 ? 'in' : `t${i - 1}`, to: `t${i}` }));
    const workflowId = await createWorkflow(alice.client, `long-${randomUUID()}`, { entry_point: 'in', nodes, edges });
    const executionId = await run(workflowId, {}, 'completed');
    const ctx = {
      workspaceId: alice.workspaceId,
      actor: { id: 'orchestrator', type: 'system' },
      correlationId: randomUUID(),
    } as RequestContext;
    await Promise.all(
      Array.from({ length: 620 }, (_, i) =>
        bus.request(
          Rpc.billing.creditsHold,
          { holdId: `${executionId}:p${i}`, amount: 1, executionId, nodeId: `t${i % n}` },
          ctx,
        ),
      ),
    );
    const res = await fetch(`${platform.baseUrl}/api/v1/executions/${executionId}/export`, {
      headers: { authorization: `Bearer ${alice.token}`, 'x-workspace-id': alice.workspaceId },
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const parsed = text
      .slice(0, -1)
      .split('\n')
      .map((l) => JSON.parse(l));
    const seqs = parsed.filter((p) => p.kind === 'event').map((p) => p.seq);
    expect(seqs.length).toBeGreaterThan(2 * n);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const positions = parsed.filter((p) => p.kind === 'credit').map((p) => p.position);
    expect(positions).toHaveLength(620);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(620);
    const dir = mkdtempSync(join(tmpdir(), 'fs-export-long-'));
    writeFileSync(join(dir, 'long.jsonl'), text);
    const out = execFileSync(process.execPath, ['-r', '@swc-node/register', 'tools/verify-export.ts', join(dir, 'long.jsonl')], {
      encoding: 'utf8',
    });
    expect(out).toContain(`(${seqs.length} events, 620 credit entries)`);
  });

  it("billing's balance equals the balance recomputed from the ledger's stored events", async () => {
    const ctx = {
      workspaceId: alice.workspaceId,
      actor: { id: 'orchestrator', type: 'system' },
      correlationId: randomUUID(),
    } as RequestContext;
    // Holds charged, released, refused and still open, on top of the grant and the export's hold.
    for (let i = 0; i < 6; i++) {
      await bus.request(
        Rpc.billing.creditsHold,
        { holdId: `b-${i}`, amount: (i + 1) * 10_000, executionId: 'x', nodeId: 'n' },
        ctx,
      );
    }
    await bus.request(Rpc.billing.creditsHold, { holdId: 'too-much', amount: 1000 * CREDIT, executionId: 'x', nodeId: 'n' }, ctx);
    await bus.request(Rpc.billing.creditsCharge, { holdId: 'b-0', cost: 7_000, causationEventId: 'c-0' }, ctx);
    await bus.request(Rpc.billing.creditsCharge, { holdId: 'b-1', cost: 25_000, causationEventId: 'c-1' }, ctx);
    await bus.request(Rpc.billing.creditsRelease, { holdId: 'b-2', reason: 'cancelled' }, ctx);
    const sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    try {
      const { rows } = await sql.query<{ type: string; data: any }>(
        'SELECT type, data FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position',
        [`credits-${alice.workspaceId}`],
      );
      // Plain arithmetic over the entries, not billing's fold: posted = granted - charged; held = open holds.
      let posted = 0;
      const open = new Map<string, number>();
      for (const { type, data } of rows) {
        if (type === 'CreditsGranted') posted += data.amount;
        if (type === 'CreditsHeld') open.set(data.holdId, data.amount);
        if (type === 'CreditsCharged') posted -= data.amount;
        if (type === 'CreditsCharged' || type === 'HoldExpired' || type === 'CreditsReleased') open.delete(data.holdId);
      }
      const held = [...open.values()].reduce((a, b) => a + b, 0);
      expect(rows.map((r) => r.type)).toEqual(expect.arrayContaining(['CreditsHoldRefused', 'CreditsReleased']));
      // b-3, b-4 and b-5, and the 620 one-micro-credit holds of the long run, are open.
      expect(held).toBe(40_000 + 50_000 + 60_000 + 620);
      expect((await alice.client.get('/api/v1/credits/balance')).body).toEqual({ posted, held, available: posted - held });
    } finally {
      await sql.end();
    }
  });

  it("answers 404 for another workspace's run, before any byte of it", async () => {
    const executionId = runs[0];
    for (const client of [api.as(bob.token), api.as(bob.token, alice.workspaceId)]) {
      const res = await client.get(`/api/v1/executions/${executionId}/export`);
      expectProblem(res, 404);
      expect(JSON.stringify(res.body)).not.toContain(alice.workspaceId);
    }
    expectProblem(await alice.client.get(`/api/v1/executions/${randomUUID()}/export`), 404);
    expectProblem(await alice.client.get('/api/v1/executions/not-an-id/export'), 404);
  });
});
