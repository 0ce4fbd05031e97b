import { randomUUID } from 'node:crypto';
import { FakeLlmServer, McpTestServer, fakeReply, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, watchExecution, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface EventItem {
  seq: number;
  type: string;
  data: Record<string, any>;
}

const GRANT = 10_000_000;

/**
 * Seed 001's Grant Factory pipeline end to end through the gateway, with real processes and fakes
 * only at the vendors' edge: validate_input (a validation node) -> crawl_announcements (a
 * registered MCP tool on a real MCP server over streamable HTTP) -> analyze_eligibility (an
 * Anthropic optimist and an OpenAI critic in parallel) -> generate_documents -> review_documents
 * -> finalize (output). Watched over the WebSocket (`step_start`, `agent_streaming` chunks of
 * every agent, `execution_complete`), its `totalCost` equal to the sum of the nodes' costs and to
 * the credits charged.
 */
describe('seed 001: the Grant Factory pipeline', () => {
  let platform: TestPlatform;
  let alice: Tenant;
  let anthropic: FakeLlmServer;
  let openai: FakeLlmServer;
  const mcp = new McpTestServer();
  let crawlToolId: string;
  const agents: Record<string, string> = {};

  beforeAll(async () => {
    // A pace the WebSocket can watch: each text chunk is one SSE event, 200 a second.
    anthropic = await new FakeLlmServer('anthropic', { tokensPerSecond: 200 }).start();
    openai = await new FakeLlmServer('openai', { tokensPerSecond: 200 }).start();
    await mcp.start();
    platform = await startPlatform({ label: 'grantfactory' });
    alice = await registerTenant(new ApiClient(platform.baseUrl), 'grant-factory');
    await grantCredits(alice.client, GRANT);

    const key = async (name: string) => {
      const res = await alice.client.post('/api/v1/credentials', { name, kind: 'api_key', value: `sk-${randomUUID()}` });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const anthropicKey = await key('anthropic_key');
    const openaiKey = await key('openai_key');
    const agent = async (slug: string, fields: Record<string, unknown>) => {
      const res = await alice.client.post('/api/v1/agents', { name: slug, slug, ...fields });
      if (res.status !== 201) throw new Error(`agent ${slug} answered ${res.status}: ${JSON.stringify(res.body)}`);
      agents[slug] = res.body.id;
    };
    const claude = { provider: 'anthropic', model: 'claude-haiku-4-5', baseUrl: anthropic.baseUrl, credentialId: anthropicKey };
    const gpt = { provider: 'openai', model: 'gpt-4o-mini', baseUrl: openai.baseUrl, credentialId: openaiKey };
    await agent('optimist', { ...claude, systemPrompt: '낙관론자: 기회를 분석한다.', costPerRun: 500 });
    await agent('critic', { ...gpt, systemPrompt: '비관론자: 리스크를 분석한다.', costPerRun: 300 });
    await agent('blog', { ...claude, systemPrompt: '입찰서류 초안을 쓴다.' });
    await agent('realist', { ...gpt, systemPrompt: '최종 검토, 균형 잡힌 판단.' });

    const tool = await alice.client.post('/api/v1/tools', {
      name: 'Announcements',
      description: '나라장터 공고 크롤링',
      kind: 'mcp',
      config: { transport: 'streamable_http', serverUrl: mcp.url, allowedTools: ['lookup'] },
    });
    expect(tool.status).toBe(201);
    crawlToolId = tool.body.id;
    expect((await alice.client.post(`/api/v1/tools/${crawlToolId}/discover`)).status).toBe(200);
  });

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([anthropic?.stop(), openai?.stop(), mcp.stop()]);
  });

  const grantFactory = () => ({
    entry_point: 'validate_input',
    nodes: [
      {
        id: 'validate_input',
        type: 'validation',
        label: '입력 검증',
        config: {
          schema: {
            type: 'object',
            required: ['query', 'company'],
            properties: { query: { type: 'string', minLength: 2 }, company: { type: 'string' } },
          },
        },
      },
      {
        id: 'crawl_announcements',
        type: 'tool',
        label: '공고 수집',
        config: { toolId: crawlToolId, mcpTool: 'lookup', args: { query: '{{ nodes.validate_input.output.query }}' } },
      },
      {
        id: 'optimist',
        type: 'agent_call',
        label: '적합성 분석 (낙관)',
        config: {
          agentId: agents.optimist,
          prompt: '{{ input.company }} / 공고: {{ nodes.crawl_announcements.output.text }}. 기회는?',
        },
      },
      {
        id: 'critic',
        type: 'agent_call',
        label: '적합성 분석 (비판)',
        config: {
          agentId: agents.critic,
          prompt: '{{ input.company }} / 공고: {{ nodes.crawl_announcements.output.text }}. 리스크는?',
        },
      },
      {
        id: 'generate_documents',
        type: 'agent_call',
        label: '서류 생성',
        config: {
          agentId: agents.blog,
          prompt: '기회: {{ nodes.optimist.output.text }}\n리스크: {{ nodes.critic.output.text }}\n초안을 써라.',
        },
      },
      {
        id: 'review_documents',
        type: 'agent_call',
        label: '서류 검토',
        config: { agentId: agents.realist, prompt: '검토: {{ nodes.generate_documents.output.text }}' },
      },
      {
        id: 'finalize',
        type: 'output',
        label: '최종 결과 저장',
        config: {
          value: {
            grants: '{{ nodes.crawl_announcements.output.structuredContent.grants }}',
            draft: '{{ nodes.generate_documents.output.text }}',
            review: '{{ nodes.review_documents.output.text }}',
          },
        },
      },
    ],
    edges: [
      { from: 'validate_input', to: 'crawl_announcements' },
      { from: 'crawl_announcements', to: 'optimist' },
      { from: 'crawl_announcements', to: 'critic' },
      { from: 'optimist', to: 'generate_documents' },
      { from: 'critic', to: 'generate_documents' },
      { from: 'generate_documents', to: 'review_documents' },
      { from: 'review_documents', to: 'finalize' },
    ],
  });

  const balance = async () => (await alice.client.get('/api/v1/credits/balance')).body;

  it('runs validate -> MCP crawl -> two agents in parallel -> generate -> review -> finalize, streamed and costed', async () => {
    const workflowId = await createWorkflow(alice.client, 'Grant Factory', grantFactory());
    // Hold every LLM call until the WebSocket is open, so no chunk goes out before anyone watches.
    anthropic.holdWhenEmpty(true);
    openai.holdWhenEmpty(true);
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, {
      input: { query: 'AI 솔루션', company: 'Flowstack' },
    });
    expect(started.status).toBe(202);
    const executionId = started.body.executionId as string;
    const live = await watchExecution(platform.wsUrl, executionId, alice.token);

    // Both analysts are in flight at once: the parallel branch really runs in parallel.
    await waitFor(
      () => (anthropic.heldRequests === 1 && openai.heldRequests === 1 ? true : undefined),
      'the optimist and the critic to call their providers together',
      60_000,
      20,
    );
    const optimistText = '정부조달 AI 공고 두 건, 기회가 크다: Horizon 과 Seed 모두 자격 요건을 충족한다.';
    const criticText = '리스크: 마감이 촉박하고 실적 증명이 필요하다, 예산 규모도 작다.';
    const draftText = '입찰서류 초안: Flowstack 은 AI 솔루션으로 Horizon 과 Seed 에 지원한다.';
    const reviewText = '검토 완료: 초안은 균형 잡혀 있고 리스크가 명시되어 있다. 제출 가능.';
    anthropic.enqueue(
      fakeReply.text(optimistText, { inputTokens: 200, outputTokens: 40 }),
      fakeReply.text(draftText, { inputTokens: 400, outputTokens: 100 }),
    );
    openai.enqueue(
      fakeReply.text(criticText, { inputTokens: 200, outputTokens: 50 }),
      fakeReply.text(reviewText, { inputTokens: 400, outputTokens: 60 }),
    );
    await live.closed;
    anthropic.holdWhenEmpty(false);
    openai.holdWhenEmpty(false);

    const view = (await alice.client.get(`/api/v1/executions/${executionId}`)).body;
    expect(view.status).toBe('completed');
    expect(view.output).toEqual({ grants: ['Horizon', 'Seed'], draft: draftText, review: reviewText });
    expect(mcp.calls.at(-1)).toEqual({ tool: 'lookup', args: { query: 'AI 솔루션' } });

    // Every step started and completed on the socket, the analysts both before the draft.
    const order = (type: string) => live.messages.filter((m) => m.type === type).map((m) => m.nodeId as string);
    const steps = [
      'validate_input',
      'crawl_announcements',
      'optimist',
      'critic',
      'generate_documents',
      'review_documents',
      'finalize',
    ];
    expect(order('step_start').sort()).toEqual([...steps].sort());
    expect(order('step_complete').sort()).toEqual([...steps].sort());
    const at = (type: string, nodeId: string) => live.messages.findIndex((m) => m.type === type && m.nodeId === nodeId);
    expect(at('step_start', 'generate_documents')).toBeGreaterThan(at('step_complete', 'optimist'));
    expect(at('step_start', 'generate_documents')).toBeGreaterThan(at('step_complete', 'critic'));

    // Each agent's tokens came as agent_streaming chunks before its step_complete, and add up to its text.
    const texts: Record<string, string> = {
      optimist: optimistText,
      critic: criticText,
      generate_documents: draftText,
      review_documents: reviewText,
    };
    for (const [nodeId, text] of Object.entries(texts)) {
      const chunks = live.messages.filter((m) => m.type === 'agent_streaming' && m.nodeId === nodeId);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.map((m) => m.chunk).join('')).toBe(text);
      expect(live.messages.lastIndexOf(chunks.at(-1))).toBeLessThan(at('step_complete', nodeId));
    }

    // Prices: claude-haiku-4-5 1 / 5 and gpt-4o-mini 0.15 / 0.6 micro-credits per input / output token.
    const expected: Record<string, number> = {
      optimist: 200 * 1 + 40 * 5 + 500, // 900
      critic: 200 * 0.15 + 50 * 0.6 + 300, // 360
      generate_documents: 400 * 1 + 100 * 5, // 900
      review_documents: 400 * 0.15 + 60 * 0.6, // 96
    };
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(total).toBe(2256);
    const events = (await alice.client.get(`/api/v1/executions/${executionId}/events?limit=500`)).body.items as EventItem[];
    const completed = events.filter((e) => e.type === 'NodeCompleted');
    const nodeCosts: Record<string, number> = Object.fromEntries(
      completed.map((e) => [String(e.data.nodeId), (e.data.cost as number | undefined) ?? 0]),
    );
    expect(nodeCosts).toMatchObject(expected);
    const sumOfNodes = Object.values(nodeCosts).reduce((a, b) => a + b, 0);
    expect(sumOfNodes).toBe(total);
    expect(view.totalCost).toBe(total);
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', totalCost: total });
    expect(events.find((e) => e.type === 'ExecutionCompleted')!.data.totalCost).toBe(total);
    for (const nodeId of Object.keys(expected)) {
      expect(view.nodes[nodeId]).toMatchObject({ status: 'succeeded', output: { cost: expected[nodeId] } });
    }

    // The credits charged are the run's cost: every hold settled, the balance down by totalCost.
    const settled = await waitFor(
      async () => {
        const b = await balance();
        return b.held === 0 && b.posted < GRANT ? b : undefined;
      },
      'the holds to settle',
      30_000,
      50,
    );
    expect(settled).toEqual({ posted: GRANT - total, held: 0, available: GRANT - total });

    // The analysts saw the crawled announcements in their prompts.
    const optimistRequest = anthropic.requests.find((r) => JSON.stringify(r.body).includes('기회는?'))!;
    expect(JSON.stringify(optimistRequest.body.messages)).toContain('found 2 grants for AI 솔루션');
    const criticRequest = openai.requests.find((r) => JSON.stringify(r.body).includes('리스크는?'))!;
    expect(criticRequest.body.messages[0]).toEqual({ role: 'system', content: '비관론자: 리스크를 분석한다.' });
  });

  it('stops at validate_input with every violation when the input is wrong, calling nothing', async () => {
    const workflowId = await createWorkflow(alice.client, 'Grant Factory (bad input)', grantFactory());
    const calls = mcp.calls.length;
    const llmCalls = anthropic.requests.length + openai.requests.length;
    const started = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: { query: 'x' } });
    expect(started.status).toBe(202);
    const view = await waitFor(
      async () => {
        const v = (await alice.client.get(`/api/v1/executions/${started.body.executionId}`)).body;
        return v.status === 'failed' || v.status === 'completed' ? v : undefined;
      },
      'the run to fail',
      30_000,
      50,
    );
    expect(view.status).toBe('failed');
    expect(view.nodes.validate_input.error.code).toBe('validation_failed');
    const paths = view.nodes.validate_input.error.details.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['data.query', 'data.company']));
    expect(view.totalCost).toBe(0);
    expect(mcp.calls.length).toBe(calls);
    expect(anthropic.requests.length + openai.requests.length).toBe(llmCalls);
  });
});
