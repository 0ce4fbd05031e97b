import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { FakeLlmServer, HttpTarget, fakeReply, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, type Tenant } from './api-client';

jest.setTimeout(240_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}
interface Entry {
  type: string;
  amount: number;
  holdId?: string;
  executionId?: string;
  nodeId?: string;
  reason?: string;
}

const PRICING = { prices: [{ provider: 'openai', model: 'settle-model', inputPerMTok: 1, outputPerMTok: 2 }] };
const MAX_TOKENS = 100;
const MAX_STEPS = 1;
const COST_PER_RUN = 500;
// maxSteps x (maxTokens x 2 + 4096 estimated input tokens x 1) + costPerRun (apps/orchestrator/src/billing/node-cost.ts).
const HOLD = MAX_STEPS * (MAX_TOKENS * 2 + 4096 * 1) + COST_PER_RUN;
const TOOL_PRICE = 250;
const GRANT = 1_000_000;

/**
 * Issue 12, settlement that survives crashes, and re-runs that charge only what runs again: the
 * orchestrator SIGKILLed right after a costed node's `NodeCompleted` while billing is down (so no
 * one settled after the append) still ends charged exactly once, from the events billing consumes;
 * a run retried from its failed node is charged only for what ran again; a fork's copied nodes
 * cost nothing.
 */
describe('credits: crash-proof settlement, retry and fork', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let llm: FakeLlmServer;
  let target: HttpTarget;
  let sql: Pool;
  /** Runs whose `/flaky` calls fail (400: not retryable) until the test repairs them. */
  const broken = new Set<string>();

  beforeAll(async () => {
    llm = await new FakeLlmServer('openai', { tokensPerSecond: 20 }).start();
    target = await new HttpTarget()
      .route('POST', '/flaky', (req) => {
        const { run } = JSON.parse(req.body);
        return broken.has(run) ? { status: 400, json: { error: 'broken' } } : { json: { ok: run } };
      })
      .start();
    platform = await startPlatform({
      label: 'credits-settle',
      env: {
        FLOWSTACK_PRICING_JSON: JSON.stringify(PRICING),
        TOOL_PRICES_JSON: JSON.stringify({ kinds: { http: TOOL_PRICE } }),
      },
    });
    api = new ApiClient(platform.baseUrl);
    sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 2 });
    sql.on('error', () => undefined);
  });
  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await Promise.all([llm?.stop(), target?.stop()]);
  });

  const tenant = async (label: string): Promise<Tenant> => {
    const t = await registerTenant(api, label);
    await grantCredits(t.client, GRANT);
    return t;
  };
  const createAgent = async (t: Tenant): Promise<string> => {
    const credential = await t.client.post('/api/v1/credentials', { name: `k_${Date.now()}`, kind: 'api_key', value: 'sk-set' });
    const res = await t.client.post('/api/v1/agents', {
      name: `agent-${randomUUID()}`,
      provider: 'openai',
      model: 'settle-model',
      baseUrl: llm.baseUrl,
      credentialId: credential.body.id,
      parameters: { maxTokens: MAX_TOKENS },
      maxSteps: MAX_STEPS,
      costPerRun: COST_PER_RUN,
    });
    if (res.status !== 201) throw new Error(`agent create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const viewOf = async (t: Tenant, executionId: string) => (await t.client.get(`/api/v1/executions/${executionId}`)).body;
  const ended = (t: Tenant, executionId: string, status?: string) =>
    waitFor(
      async () => {
        const view = await viewOf(t, executionId).catch(() => undefined);
        if (!view || !['completed', 'failed', 'cancelled'].includes(view.status)) return undefined;
        return status === undefined || view.status === status ? view : undefined;
      },
      `execution ${executionId} to end ${status ?? ''}`,
      90_000,
      100,
    );
  const balance = async (t: Tenant) => (await t.client.get('/api/v1/credits/balance')).body;
  const entriesOf = async (t: Tenant, executionId: string): Promise<Entry[]> =>
    ((await t.client.get('/api/v1/credits/transactions?limit=200')).body.items as Entry[])
      .filter((e) => e.executionId === executionId)
      .reverse();
  const eventsOf = async (t: Tenant, executionId: string): Promise<EventItem[]> =>
    (await t.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items as EventItem[];
  const noneHeld = (t: Tenant) =>
    waitFor(async () => ((await balance(t)).held === 0 ? true : undefined), 'every hold to be settled', 60_000, 100);

  it('charges exactly once when the orchestrator is SIGKILLed right after the NodeCompleted append while billing is down', async () => {
    const ada = await tenant('settle-ada');
    const agentId = await createAgent(ada);
    const words = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' ');
    llm.enqueue(fakeReply.text(words, { inputTokens: 100, outputTokens: 20 }));
    const before = llm.requests.length;
    const workflowId = await createWorkflow(ada.client, `wf-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId, prompt: 'Say it', retry: { maxAttempts: 1 } } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output.text }}' } },
      ],
      edges: [
        { from: 'in', to: 'ask' },
        { from: 'ask', to: 'out' },
      ],
    });
    const started = await ada.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    await waitFor(() => llm.requests.length > before || undefined, 'the agent call', 30_000, 20);
    expect(await balance(ada)).toMatchObject({ held: HOLD });

    // Billing goes away while the agent streams: no settle after the orchestrator's append can work.
    await platform.services.get('billing')!.stop();
    const stored = await waitFor(
      async () => {
        const { rows } = await sql.query(
          `SELECT event_id FROM event_store.events WHERE stream_id = $1 AND type = 'NodeCompleted' AND data->>'nodeId' = 'ask'`,
          [`execution-${executionId}`],
        );
        return rows[0];
      },
      "the agent node's NodeCompleted to be stored",
      60_000,
      5,
    );
    expect(stored).toBeDefined();
    await platform.services.get('orchestrator')!.kill();
    // Nobody settled after that append (billing was down): only what billing consumes can charge it.
    const { rows: settledBeforeRestart } = await sql.query(
      `SELECT type FROM event_store.events WHERE stream_id = $1 AND data->>'executionId' = $2 AND type <> 'CreditsHeld'`,
      [`credits-${ada.workspaceId}`, executionId],
    );
    expect(settledBeforeRestart).toEqual([]);

    await platform.start('billing');
    await platform.start('orchestrator');
    const view = await ended(ada, executionId, 'completed');
    const cost = 100 * 1 + 20 * 2 + COST_PER_RUN;
    expect(view.totalCost).toBe(cost);
    await noneHeld(ada);
    const holdId = `${executionId}:ask:1`;
    expect((await entriesOf(ada, executionId)).map((e) => [e.type, e.holdId, e.amount])).toEqual([
      ['CreditsHeld', holdId, HOLD],
      ['CreditsCharged', holdId, cost],
      ['CreditsReleased', holdId, HOLD - cost],
    ]);
    expect(await balance(ada)).toEqual({ posted: GRANT - cost, held: 0, available: GRANT - cost });
  });

  it('a run retried from its failed node is charged only for what ran again; a fork charges nothing for its copied nodes', async () => {
    const bea = await tenant('settle-bea');
    const agentId = await createAgent(bea);
    const run = randomUUID();
    broken.add(run);
    llm.enqueue(fakeReply.text('hello', { inputTokens: 100, outputTokens: 20 }));
    const workflowId = await createWorkflow(bea.client, `wf-${randomUUID()}`, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ask', type: 'agent_call', config: { agentId, prompt: 'Say it', retry: { maxAttempts: 1 } } },
        {
          id: 'ping',
          type: 'tool',
          config: {
            tool: { kind: 'http', method: 'POST', url: `${target.url}/flaky`, body: { run: '{{ input.run }}' } },
            retry: { maxAttempts: 1 },
          },
        },
        { id: 'out', type: 'output', config: { value: '{{ nodes.ping.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'ask' },
        { from: 'ask', to: 'ping' },
        { from: 'ping', to: 'out' },
      ],
    });
    const started = await bea.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { run } });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const failed = await ended(bea, executionId, 'failed');
    const agentCost = 100 * 1 + 20 * 2 + COST_PER_RUN;
    expect(failed).toMatchObject({ totalCost: agentCost, nodes: { ask: { status: 'succeeded' }, ping: { status: 'failed' } } });
    await noneHeld(bea);
    expect(await balance(bea)).toEqual({ posted: GRANT - agentCost, held: 0, available: GRANT - agentCost });
    const llmCalls = llm.requests.length;

    broken.delete(run);
    const retried = await bea.client.post(`/api/v1/executions/${executionId}/retry`, {});
    expect(retried.status).toBe(200);
    const view = await ended(bea, executionId, 'completed');
    expect(view.totalCost).toBe(agentCost + TOOL_PRICE);
    await noneHeld(bea);
    // The agent did not run again: no LLM call, one attempt, one hold and one charge.
    expect(llm.requests.length).toBe(llmCalls);
    const events = await eventsOf(bea, executionId);
    expect(events.filter((e) => e.type === 'NodeScheduled' && e.data.nodeId === 'ask')).toHaveLength(1);
    // Per hold, in order (the next node's hold is taken before the append that settles the last one).
    const byHold = (entries: Entry[]) => {
      const groups: Record<string, Array<[string, number, string | undefined]>> = {};
      for (const e of entries) (groups[e.holdId!] ??= []).push([e.type, e.amount, e.reason]);
      return groups;
    };
    expect(byHold(await entriesOf(bea, executionId))).toEqual({
      [`${executionId}:ask:1`]: [
        ['CreditsHeld', HOLD, undefined],
        ['CreditsCharged', agentCost, undefined],
        ['CreditsReleased', HOLD - agentCost, 'charged'],
      ],
      [`${executionId}:ping:1`]: [
        ['CreditsHeld', TOOL_PRICE, undefined],
        ['CreditsReleased', TOOL_PRICE, 'failed'],
      ],
      [`${executionId}:ping:2`]: [
        ['CreditsHeld', TOOL_PRICE, undefined],
        ['CreditsCharged', TOOL_PRICE, undefined],
      ],
    });
    const afterRetry = GRANT - agentCost - TOOL_PRICE;
    expect(await balance(bea)).toEqual({ posted: afterRetry, held: 0, available: afterRetry });

    // A fork from `ping`: the agent's result is copied (nothing runs, nothing is held or charged).
    const fork = await bea.client.post(`/api/v1/executions/${executionId}/fork`, { fromNodeId: 'ping' });
    expect(fork.status).toBeLessThan(300);
    expect(fork.body.copiedNodes).toEqual(expect.arrayContaining(['in', 'ask']));
    const forkId = fork.body.executionId as string;
    const forked = await ended(bea, forkId, 'completed');
    expect(forked.totalCost).toBe(TOOL_PRICE);
    await noneHeld(bea);
    expect(llm.requests.length).toBe(llmCalls);
    expect((await entriesOf(bea, forkId)).map((e) => [e.type, e.nodeId, e.amount])).toEqual([
      ['CreditsHeld', 'ping', TOOL_PRICE],
      ['CreditsCharged', 'ping', TOOL_PRICE],
    ]);
    expect(await balance(bea)).toEqual({ posted: afterRetry - TOOL_PRICE, held: 0, available: afterRetry - TOOL_PRICE });
  });
});
