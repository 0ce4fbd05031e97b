import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { namespaceOf, streamName, subject, type NodeResult } from '@flowstack/contracts';
import {
  FakeLlmServer,
  HttpTarget,
  TEST_NATS_URL,
  fakeReply,
  startPlatform,
  waitFor,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(180_000);

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
  causationEventId?: string;
}

// One priced model, the same table in the orchestrator (holds) and the tool-runner (costs).
const PRICING = { prices: [{ provider: 'openai', model: 'bill-model', inputPerMTok: 1, outputPerMTok: 2 }] };
const MAX_TOKENS = 100;
const MAX_STEPS = 2;
const COST_PER_RUN = 500;
// maxSteps x (maxTokens x 2 + 4096 estimated input tokens x 1) + costPerRun (apps/orchestrator/src/billing/node-cost.ts).
const HOLD = MAX_STEPS * (MAX_TOKENS * 2 + 4096 * 1) + COST_PER_RUN;
const TOOL_PRICE = 250;
const HOLD_TTL_MS = 8_000;

/**
 * Issue 12, credits enforced at run time, through the gateway with real processes: a costed node
 * holds its maximum before dispatch and is charged its real cost (the rest released); a refused
 * hold fails the run `insufficient_credits`; a costed run without credit answers 402; a
 * redelivered result charges nothing more; a failed attempt releases its hold; a hold of a run
 * that never finishes expires; a priced tool costs its price.
 */
describe('credits at run time', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let llm: FakeLlmServer;
  let target: HttpTarget;
  let nc: NatsConnection;

  beforeAll(async () => {
    llm = await new FakeLlmServer('openai').start();
    target = await new HttpTarget().route('GET', '/ping', () => ({ json: { pong: true } })).start();
    platform = await startPlatform({
      label: 'credits-run',
      env: {
        FLOWSTACK_PRICING_JSON: JSON.stringify(PRICING),
        TOOL_PRICES_JSON: JSON.stringify({ kinds: { http: TOOL_PRICE } }),
        BILLING_HOLD_TTL_MS: String(HOLD_TTL_MS),
        BILLING_SWEEP_MS: '200',
        // Small, so that a result failing for billing's sake would be parked within seconds.
        RESULTS_RETRY_BACKOFF_MS: '100',
      },
    });
    api = new ApiClient(platform.baseUrl);
    nc = await connect({ servers: TEST_NATS_URL });
  });
  afterAll(async () => {
    await nc?.close();
    await platform?.stop();
    await Promise.all([llm?.stop(), target?.stop()]);
  });

  const tenant = async (label: string, credits?: number): Promise<Tenant> => {
    const t = await registerTenant(api, label);
    if (credits !== undefined) await grantCredits(t.client, credits);
    return t;
  };
  const createAgent = async (t: Tenant, baseUrl = llm.baseUrl): Promise<string> => {
    const credential = await t.client.post('/api/v1/credentials', { name: `k_${Date.now()}`, kind: 'api_key', value: 'sk-bill' });
    const res = await t.client.post('/api/v1/agents', {
      name: `agent-${randomUUID()}`,
      provider: 'openai',
      model: 'bill-model',
      baseUrl,
      credentialId: credential.body.id,
      parameters: { maxTokens: MAX_TOKENS },
      maxSteps: MAX_STEPS,
      costPerRun: COST_PER_RUN,
    });
    if (res.status !== 201) throw new Error(`agent create answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  };
  const agentGraph = (agentId: string, retry: Record<string, unknown> = { maxAttempts: 1 }) => ({
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'ask', type: 'agent_call', config: { agentId, prompt: 'Say {{ input.word }}', retry } },
      { id: 'out', type: 'output', config: { value: '{{ nodes.ask.output.text }}' } },
    ],
    edges: [
      { from: 'in', to: 'ask' },
      { from: 'ask', to: 'out' },
    ],
  });
  const startRun = async (t: Tenant, graph: object) => {
    const workflowId = await createWorkflow(t.client, `wf-${randomUUID()}`, graph);
    return t.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { word: 'hi' } });
  };
  const finished = (t: Tenant, executionId: string) =>
    waitFor(
      async () => {
        const view = (await t.client.get(`/api/v1/executions/${executionId}`)).body;
        return ['completed', 'failed', 'cancelled'].includes(view.status) ? view : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
      50,
    );
  const balance = async (t: Tenant) => (await t.client.get('/api/v1/credits/balance')).body;
  const entriesOf = async (t: Tenant, executionId: string): Promise<Entry[]> =>
    ((await t.client.get('/api/v1/credits/transactions?limit=200')).body.items as Entry[])
      .filter((e) => e.executionId === executionId)
      .reverse();
  const eventsOf = async (t: Tenant, executionId: string): Promise<EventItem[]> =>
    (await t.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items as EventItem[];
  /** Waits until billing has settled every hold of the execution (the charge follows the append). */
  const settled = (t: Tenant, executionId: string, entries: number) =>
    waitFor(
      async () => {
        const list = await entriesOf(t, executionId);
        return list.length >= entries ? list : undefined;
      },
      `${entries} ledger entries of ${executionId}`,
      30_000,
      50,
    );

  it('holds the maximum before dispatch, charges the real cost, releases the rest; totalCost on the run', async () => {
    const ada = await tenant('bill-ada', 1_000_000);
    const agentId = await createAgent(ada);
    llm.enqueue(fakeReply.text('hello there', { inputTokens: 100, outputTokens: 20 }));
    const started = await startRun(ada, agentGraph(agentId));
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const view = await finished(ada, executionId);
    const cost = 100 * 1 + 20 * 2 + COST_PER_RUN;
    expect(view).toMatchObject({ status: 'completed', totalCost: cost });

    const events = await eventsOf(ada, executionId);
    const scheduledAt = events.findIndex((e) => e.type === 'NodeScheduled' && e.data.nodeId === 'ask');
    const holdId = `${executionId}:ask:1`;
    // Recorded right after the attempt's NodeScheduled, in the same append.
    expect(events[scheduledAt + 1]).toMatchObject({
      type: 'NodeCostHeld',
      data: { nodeId: 'ask', attempt: 1, holdId, amount: HOLD },
    });
    const completed = events.find((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'ask')!;
    expect(completed.data.cost).toBe(cost);

    const entries = await settled(ada, executionId, 3);
    expect(entries).toEqual([
      expect.objectContaining({ type: 'CreditsHeld', amount: HOLD, holdId, nodeId: 'ask' }),
      expect.objectContaining({ type: 'CreditsCharged', amount: cost, holdId, causationEventId: expect.any(String) }),
      expect.objectContaining({ type: 'CreditsReleased', amount: HOLD - cost, holdId, reason: 'charged' }),
    ]);
    expect(await balance(ada)).toEqual({ posted: 1_000_000 - cost, held: 0, available: 1_000_000 - cost });

    // The history list carries the same total.
    const item = await waitFor(
      async () =>
        (
          (await ada.client.get('/api/v1/executions?limit=50')).body.items as Array<{
            id: string;
            totalCost: number;
            status: string;
          }>
        ).find((i) => i.id === executionId && i.status === 'completed'),
      'the history item',
      30_000,
      100,
    );
    expect(item.totalCost).toBe(cost);

    // A redelivered result (the same NodeCompleted again) charges nothing more.
    const ns = namespaceOf(platform.env.FLOWSTACK_NS);
    const result: NodeResult = {
      taskId: holdId,
      executionId,
      workspaceId: ada.workspaceId,
      nodeId: 'ask',
      attempt: 1,
      status: 'succeeded',
      output: completed.data.output,
      startedAt: completed.data.startedAt,
      finishedAt: completed.data.completedAt,
      cost,
      usage: completed.data.usage,
    };
    const ack = await jetstream(nc).publish(subject(ns, `results.${executionId}`), JSON.stringify(result), {
      msgID: `redelivery-${randomUUID()}`,
    });
    const jsm = await jetstreamManager(nc);
    await waitFor(
      async () => {
        const info = await jsm.consumers.info(streamName(ns, 'RESULTS'), 'orchestrator');
        return info.delivered.stream_seq >= ack.seq && info.num_ack_pending === 0 ? info : undefined;
      },
      'the orchestrator to consume the redelivered result',
      30_000,
      50,
    );
    expect((await entriesOf(ada, executionId)).filter((e) => e.type === 'CreditsCharged')).toHaveLength(1);
    expect((await balance(ada)).posted).toBe(1_000_000 - cost);
    expect((await eventsOf(ada, executionId)).filter((e) => e.type === 'NodeCompleted' && e.data.nodeId === 'ask')).toHaveLength(
      1,
    );
  });

  it('a hold above the balance fails the run insufficient_credits (WS says so) and dispatches nothing', async () => {
    const bea = await tenant('bill-bea', HOLD - 1);
    const agentId = await createAgent(bea);
    const before = llm.requests.length;
    const started = await startRun(bea, agentGraph(agentId));
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, bea.token);
    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({
      type: 'execution_complete',
      status: 'failed',
      error: { code: 'insufficient_credits', nodeId: 'ask', retryable: false, details: { required: HOLD, available: HOLD - 1 } },
      totalCost: 0,
    });
    const view = await finished(bea, executionId);
    expect(view.nodes.ask).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'insufficient_credits' } });
    expect(await entriesOf(bea, executionId)).toEqual([expect.objectContaining({ type: 'CreditsHoldRefused', amount: HOLD })]);
    expect(await balance(bea)).toEqual({ posted: HOLD - 1, held: 0, available: HOLD - 1 });
    expect(llm.requests.length).toBe(before);
  });

  it('answers 402 problem+json to a costed run without credit; free runs need no credit', async () => {
    const cyd = await tenant('bill-cyd');
    const agentId = await createAgent(cyd);
    const refused = await startRun(cyd, agentGraph(agentId));
    expect(refused.status).toBe(402);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 402, code: 'insufficient_credits' });
    // A workspace that never had a grant runs workflows whose nodes cost nothing.
    const free = await startRun(cyd, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'out', type: 'output', config: { value: '{{ input.word }}' } },
      ],
      edges: [{ from: 'in', to: 'out' }],
    });
    expect(free.status).toBe(202);
    expect(await finished(cyd, free.body.executionId)).toMatchObject({ status: 'completed', totalCost: 0 });
  });

  it('a failed attempt releases its hold; the retry holds again and only it is charged', async () => {
    const dan = await tenant('bill-dan', 1_000_000);
    const agentId = await createAgent(dan);
    llm.enqueue(fakeReply.serverError(500), fakeReply.text('second', { inputTokens: 10, outputTokens: 5 }));
    const started = await startRun(dan, agentGraph(agentId, { maxAttempts: 2, initialIntervalMs: 50 }));
    const executionId = started.body.executionId as string;
    const cost = 10 + 5 * 2 + COST_PER_RUN;
    expect(await finished(dan, executionId)).toMatchObject({ status: 'completed', totalCost: cost });
    const entries = await settled(dan, executionId, 5);
    expect(entries.map((e) => [e.type, e.holdId, e.amount, e.reason])).toEqual([
      ['CreditsHeld', `${executionId}:ask:1`, HOLD, undefined],
      ['CreditsReleased', `${executionId}:ask:1`, HOLD, 'failed'],
      ['CreditsHeld', `${executionId}:ask:2`, HOLD, undefined],
      ['CreditsCharged', `${executionId}:ask:2`, cost, undefined],
      ['CreditsReleased', `${executionId}:ask:2`, HOLD - cost, 'charged'],
    ]);
    expect(await balance(dan)).toEqual({ posted: 1_000_000 - cost, held: 0, available: 1_000_000 - cost });
  });

  it('charges a priced tool its price (TOOL_PRICES_JSON)', async () => {
    const eve = await tenant('bill-eve', 1_000_000);
    const started = await startRun(eve, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ping', type: 'tool', config: { tool: { kind: 'http', method: 'GET', url: `${target.url}/ping` } } },
      ],
      edges: [{ from: 'in', to: 'ping' }],
    });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    expect(await finished(eve, executionId)).toMatchObject({ status: 'completed', totalCost: TOOL_PRICE });
    const entries = await settled(eve, executionId, 2);
    expect(entries.map((e) => [e.type, e.amount])).toEqual([
      ['CreditsHeld', TOOL_PRICE],
      ['CreditsCharged', TOOL_PRICE],
    ]);
    expect(await balance(eve)).toMatchObject({ posted: 1_000_000 - TOOL_PRICE, held: 0 });
  });

  it('a hold while billing is down waits for billing: the result is held, not parked, and the run completes', async () => {
    const slow = await new FakeLlmServer('openai', { tokensPerSecond: 20 }).start();
    let billingDown = false;
    try {
      const hal = await tenant('bill-hal', 1_000_000);
      const agentId = await createAgent(hal, slow.baseUrl);
      const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
      slow.enqueue(
        fakeReply.text(words, { inputTokens: 10, outputTokens: 30 }),
        fakeReply.text('done', { inputTokens: 10, outputTokens: 1 }),
      );
      const graph = {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'first', type: 'agent_call', config: { agentId, prompt: 'one', retry: { maxAttempts: 1 } } },
          { id: 'second', type: 'agent_call', config: { agentId, prompt: 'two', retry: { maxAttempts: 1 } } },
        ],
        edges: [
          { from: 'in', to: 'first' },
          { from: 'first', to: 'second' },
        ],
      };
      const started = await startRun(hal, graph);
      const executionId = started.body.executionId as string;
      await waitFor(() => slow.requests[0], 'the first agent call', 30_000);
      // Billing goes away while the first node runs: its result schedules the second, which must hold.
      await platform.services.get('billing')!.stop();
      billingDown = true;
      const orchestrator = platform.services.get('orchestrator')!;
      await waitFor(
        () => orchestrator.output().includes(`result ${executionId}:first:1 waits for the database or billing`),
        'the result to wait for billing',
        30_000,
        50,
      );
      // For 10 s (parking would take under 10 s at this backoff), the result is never redelivered.
      const ns = namespaceOf(platform.env.FLOWSTACK_NS);
      const jsm = await jetstreamManager(nc);
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        const info = await jsm.consumers.info(streamName(ns, 'RESULTS'), 'orchestrator');
        expect(info.num_redelivered).toBe(0);
        expect((await hal.client.get(`/api/v1/executions/${executionId}`)).body.nodes.first.status).not.toBe('failed');
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await platform.start('billing');
      billingDown = false;
      const view = await finished(hal, executionId);
      expect(view).toMatchObject({ status: 'completed' });
      expect(view.nodes.second).toMatchObject({ status: 'succeeded', attempts: 1 });
      const entries = await settled(hal, executionId, 4);
      expect(entries.filter((e) => e.type === 'CreditsCharged').map((e) => e.nodeId)).toContain('second');
    } finally {
      await slow.stop();
      if (billingDown) await platform.start('billing');
    }
  });

  it('a cancelled run releases its holds', async () => {
    const fay = await tenant('bill-fay', 1_000_000);
    const agentId = await createAgent(fay);
    await platform.services.get('tool-runner')!.stop();
    try {
      const started = await startRun(fay, agentGraph(agentId));
      const executionId = started.body.executionId as string;
      await settled(fay, executionId, 1);
      expect(await balance(fay)).toMatchObject({ held: HOLD });
      expect((await fay.client.post(`/api/v1/executions/${executionId}/cancel`, {})).status).toBeLessThan(300);
      const entries = await settled(fay, executionId, 2);
      expect(entries.map((e) => [e.type, e.amount, e.reason])).toEqual([
        ['CreditsHeld', HOLD, undefined],
        ['CreditsReleased', HOLD, 'cancelled'],
      ]);
      expect(await balance(fay)).toEqual({ posted: 1_000_000, held: 0, available: 1_000_000 });
    } finally {
      await platform.start('tool-runner');
    }
  });

  it('a run that never settles (its runner is gone) leaks no credits: the hold expires', async () => {
    const gus = await tenant('bill-gus', 1_000_000);
    const agentId = await createAgent(gus);
    await platform.services.get('tool-runner')!.stop();
    const started = await startRun(gus, agentGraph(agentId));
    const executionId = started.body.executionId as string;
    await settled(gus, executionId, 1);
    expect(await balance(gus)).toMatchObject({ held: HOLD, available: 1_000_000 - HOLD });
    const entries = await waitFor(
      async () => {
        const list = await entriesOf(gus, executionId);
        return list.some((e) => e.type === 'HoldExpired') ? list : undefined;
      },
      'the hold to expire',
      HOLD_TTL_MS + 30_000,
      200,
    );
    expect(entries.map((e) => [e.type, e.amount])).toEqual([
      ['CreditsHeld', HOLD],
      ['HoldExpired', HOLD],
    ]);
    expect(await balance(gus)).toEqual({ posted: 1_000_000, held: 0, available: 1_000_000 });
  });
  it('an execution killed mid-run (runner and orchestrator SIGKILLed during its agent call) leaks nothing after expiry', async () => {
    const slow = await new FakeLlmServer('openai', { tokensPerSecond: 5 }).start();
    try {
      const ida = await tenant('bill-ida', 1_000_000);
      const agentId = await createAgent(ida, slow.baseUrl);
      slow.enqueue(
        fakeReply.text(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), { inputTokens: 10, outputTokens: 200 }),
      );
      // The test before stopped the runner for good.
      const runner = platform.services.get('tool-runner')!.child;
      if (runner.exitCode !== null || runner.signalCode !== null) await platform.start('tool-runner');
      const started = await startRun(ida, agentGraph(agentId));
      const executionId = started.body.executionId as string;
      await waitFor(() => slow.requests[0], 'the agent call', 30_000, 20);
      expect(await balance(ida)).toMatchObject({ held: HOLD });
      await Promise.all([platform.services.get('tool-runner')!.kill(), platform.services.get('orchestrator')!.kill()]);
      await platform.start('orchestrator');
      const entries = await waitFor(
        async () => {
          const list = await entriesOf(ida, executionId);
          return list.some((e) => e.type === 'HoldExpired') ? list : undefined;
        },
        "the killed run's hold to expire",
        HOLD_TTL_MS + 30_000,
        200,
      );
      expect(entries.map((e) => [e.type, e.amount])).toEqual([
        ['CreditsHeld', HOLD],
        ['HoldExpired', HOLD],
      ]);
      expect(await balance(ida)).toEqual({ posted: 1_000_000, held: 0, available: 1_000_000 });
    } finally {
      await slow.stop();
    }
  });
});
