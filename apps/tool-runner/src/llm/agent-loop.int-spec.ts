import { FakeLlmServer, fakeReply, waitFor } from '@flowstack/testing';
import { buildPriceTable } from '@flowstack/pricing';
import { NodeFailure } from '../work/node-failure';
import { AgentLoop } from './agent-loop';
import type { AgentLoopInput, ToolCallRecord, ToolInvocation, TurnRecord } from './agent-loop.types';
import { LlmError } from './llm-error';
import { createLlmProvider } from './llm-provider.factory';

// The loop through the real SDKs against the fake vendors: what it sends, records and returns.
type Vendor = 'anthropic' | 'openai';
const MODEL: Record<Vendor, string> = { anthropic: 'claude-haiku-4-5', openai: 'gpt-4o-mini' };
// usage 100 in / 20 out: haiku $1/$5 -> 100 + 100; gpt-4o-mini $0.15/$0.60 -> 15 + 12.
const COST_100_20: Record<Vendor, number> = { anthropic: 200, openai: 27 };
const prices = buildPriceTable();

const servers: Record<Vendor, FakeLlmServer> = { anthropic: new FakeLlmServer('anthropic'), openai: new FakeLlmServer('openai') };
beforeAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.start()));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});
beforeEach(() => {
  for (const s of Object.values(servers)) s.requests.length = 0;
});
afterEach(() => {
  for (const s of Object.values(servers)) expect(s.pending).toBe(0);
});

const weather = {
  name: 'get_weather',
  description: 'Current weather of a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

/** A loop with recording callbacks; `log` keeps the order of everything it reported. */
function harness(vendor: Vendor, overrides: Partial<AgentLoopInput> = {}) {
  const turns: TurnRecord[] = [];
  const toolCalls: ToolCallRecord[] = [];
  const log: string[] = [];
  const executed: ToolInvocation[] = [];
  const loop = new AgentLoop({ llm: createLlmProvider(vendor, { apiKey: 'k', baseUrl: servers[vendor].baseUrl }), prices });
  const input: AgentLoopInput = {
    agent: { provider: vendor, model: MODEL[vendor], systemPrompt: 'You help.', maxSteps: 5 },
    prompt: 'What is the weather in Paris?',
    tools: [weather],
    executeTool: (call) => {
      executed.push(call);
      log.push(`run ${call.name}(${JSON.stringify(call.arguments)})`);
      return Promise.resolve({ city: call.arguments.city, sky: 'sunny' });
    },
    onTurnCompleted: (turn) => {
      turns.push(turn);
      log.push(`turn ${turn.step}`);
    },
    onToolCalled: (call) => {
      toolCalls.push(call);
      log.push(`recorded ${call.toolCallId}`);
    },
    ...overrides,
  };
  return { loop, input, turns, toolCalls, log, executed, fake: servers[vendor] };
}

async function failureOf(promise: Promise<unknown>): Promise<NodeFailure> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(NodeFailure);
    return e as NodeFailure;
  }
  throw new Error('expected the loop to fail');
}

/** The tool results the vendor received in a request, as [id, content, isError]. */
function toolResultsSent(vendor: Vendor, body: any): [string, string, boolean][] {
  if (vendor === 'anthropic') {
    return body.messages
      .filter((m: any) => m.role === 'user' && Array.isArray(m.content))
      .flatMap((m: any) => m.content.map((c: any) => [c.tool_use_id, c.content, c.is_error === true]));
  }
  return body.messages
    .filter((m: any) => m.role === 'tool')
    .map((m: any) => [m.tool_call_id, m.content, m.content.startsWith('error ')]);
}

describe.each(['anthropic', 'openai'] as const)('agent loop with %s', (vendor) => {
  it('a plain answer: one turn, streamed, reported with usage and cost', async () => {
    const h = harness(vendor);
    const chunks: [string, number][] = [];
    h.fake.enqueue(fakeReply.text('It is sunny.', { inputTokens: 100, outputTokens: 20 }));
    const result = await h.loop.run({ ...h.input, onChunk: (text, step) => chunks.push([text, step]) });
    expect(result).toEqual({
      output: 'It is sunny.',
      text: 'It is sunny.',
      steps: 1,
      newTurns: 1,
      usage: { inputTokens: 100, outputTokens: 20, model: MODEL[vendor] },
      cost: { cost: COST_100_20[vendor], priced: true },
    });
    expect(chunks).toEqual([
      ['It ', 1],
      ['is ', 1],
      ['sunny.', 1],
    ]);
    expect(h.turns).toEqual([
      {
        step: 1,
        message: { role: 'assistant', text: 'It is sunny.', toolCalls: [] },
        usage: { inputTokens: 100, outputTokens: 20, model: MODEL[vendor] },
        cost: { cost: COST_100_20[vendor], priced: true },
        stopReason: 'end_turn',
      },
    ]);
    expect(h.fake.requests[0].stream).toBe(true);
  });

  it('tool use: runs the tool, records turn and call before going on, and feeds the result back', async () => {
    const h = harness(vendor);
    h.fake.enqueue(
      fakeReply.toolCalls([{ id: 't1', name: 'get_weather', arguments: { city: 'Paris' } }], {
        inputTokens: 100,
        outputTokens: 20,
      }),
      fakeReply.text('Sunny in Paris.', { inputTokens: 100, outputTokens: 20 }),
    );
    const result = await h.loop.run(h.input);
    expect(result.output).toBe('Sunny in Paris.');
    expect(result.steps).toBe(2);
    expect(result.cost).toEqual({ cost: 2 * COST_100_20[vendor], priced: true });
    expect(h.log).toEqual(['turn 1', 'run get_weather({"city":"Paris"})', 'recorded t1', 'turn 2']);
    expect(h.toolCalls).toEqual([
      {
        step: 1,
        toolCallId: 't1',
        tool: 'get_weather',
        arguments: { city: 'Paris' },
        result: { city: 'Paris', sky: 'sunny' },
        durationMs: expect.any(Number),
      },
    ]);
    expect(h.fake.requests).toHaveLength(2);
    expect(toolResultsSent(vendor, h.fake.requests[1].body)).toEqual([['t1', '{"city":"Paris","sky":"sunny"}', false]]);
  });

  it('parallel tool calls run concurrently and their results go back in call order', async () => {
    const started: string[] = [];
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const h = harness(vendor, {
      executeTool: async (call) => {
        started.push(call.toolCallId);
        if (started.length === 2) release();
        // Neither call can finish until both have started: a sequential loop would time out here.
        let timer: NodeJS.Timeout | undefined;
        const tooLate = new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error('calls ran one after the other')), 5000)),
        );
        await Promise.race([bothStarted, tooLate]).finally(() => clearTimeout(timer));
        return `weather of ${String(call.arguments.city)}`;
      },
    });
    h.fake.enqueue(
      fakeReply.toolCalls([
        { id: 'p1', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'p2', name: 'get_weather', arguments: { city: 'Rome' } },
      ]),
      fakeReply.text('Done.'),
    );
    await h.loop.run(h.input);
    expect(started.sort()).toEqual(['p1', 'p2']);
    expect(h.toolCalls.map((c) => c.result).sort()).toEqual(['weather of Paris', 'weather of Rome']);
    expect(toolResultsSent(vendor, h.fake.requests[1].body)).toEqual([
      ['p1', 'weather of Paris', false],
      ['p2', 'weather of Rome', false],
    ]);
  });

  it('a failing tool, an unknown tool and invalid arguments are told to the model, not run, and the loop goes on', async () => {
    const h = harness(vendor, {
      executeTool: (call) => {
        h.executed.push(call);
        return Promise.reject(new NodeFailure('http_status', 'GET weather.example answered 503', true));
      },
    });
    h.fake.enqueue(
      fakeReply.toolCalls([
        { id: 'e1', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'e2', name: 'launch_rockets', arguments: {} },
        { id: 'e3', name: 'get_weather', arguments: { town: 'Rome' } },
      ]),
      fakeReply.text('Sorry.'),
    );
    await h.loop.run(h.input);
    expect(h.executed.map((c) => c.toolCallId)).toEqual(['e1']);
    expect(h.toolCalls.map((c) => [c.toolCallId, c.error?.code])).toEqual(
      expect.arrayContaining([
        ['e1', 'http_status'],
        ['e2', 'unknown_tool'],
        ['e3', 'invalid_arguments'],
      ]),
    );
    const sent = toolResultsSent(vendor, h.fake.requests[1].body);
    expect(sent.map(([id, , isError]) => [id, isError])).toEqual([
      ['e1', true],
      ['e2', true],
      ['e3', true],
    ]);
    expect(sent[0][1]).toBe('error http_status: GET weather.example answered 503');
    expect(sent[2][1]).toContain("must have required property 'city'");
  });

  it('resume from two recorded turns: they are not sent to the LLM again nor their tools run again', async () => {
    // First attempt: two tool-using turns are recorded, then the runner "dies" (the record of the
    // second turn's tool call is the last thing it does).
    const first = harness(vendor);
    first.fake.enqueue(
      fakeReply.toolCalls([{ id: 'r1', name: 'get_weather', arguments: { city: 'Paris' } }], {
        inputTokens: 100,
        outputTokens: 20,
      }),
      fakeReply.toolCalls([{ id: 'r2', name: 'get_weather', arguments: { city: 'Rome' } }], {
        inputTokens: 100,
        outputTokens: 20,
      }),
    );
    const died = await failureOf(
      first.loop.run({
        ...first.input,
        onToolCalled: (call) => {
          first.toolCalls.push(call);
          if (call.toolCallId === 'r2') throw new NodeFailure('runner_killed', 'SIGKILL');
        },
      }),
    );
    expect(died.code).toBe('runner_killed');
    expect(first.turns.map((t) => t.step)).toEqual([1, 2]);
    expect(first.fake.requests).toHaveLength(2);

    // Redelivery: a fresh loop given the record makes exactly one new call.
    first.fake.requests.length = 0;
    const second = harness(vendor);
    second.fake.enqueue(fakeReply.text('Paris sunny, Rome sunny.', { inputTokens: 100, outputTokens: 20 }));
    const result = await second.loop.run({ ...second.input, recorded: { turns: first.turns, toolCalls: first.toolCalls } });
    expect(second.fake.requests).toHaveLength(1);
    expect(second.executed).toEqual([]);
    expect(second.turns.map((t) => t.step)).toEqual([3]);
    expect(result).toMatchObject({ output: 'Paris sunny, Rome sunny.', steps: 3, newTurns: 1 });
    // The totals include the recorded turns (the node's cost), which were not paid again.
    expect(result.usage).toMatchObject({ inputTokens: 300, outputTokens: 60 });
    expect(result.cost.cost).toBe(3 * COST_100_20[vendor]);
    // The one request carries the rebuilt conversation: both recorded calls and their results.
    expect(toolResultsSent(vendor, second.fake.requests[0].body).map(([id]) => id)).toEqual(['r1', 'r2']);
  });

  it('resume after a turn was recorded but not its tool call: runs only that call, then goes on', async () => {
    const turns: TurnRecord[] = [
      {
        step: 1,
        message: { role: 'assistant', text: '', toolCalls: [{ id: 'm1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
        usage: { inputTokens: 10, outputTokens: 5, model: MODEL[vendor] },
        cost: { cost: 1, priced: true },
        stopReason: 'tool_use',
      },
    ];
    const h = harness(vendor);
    h.fake.enqueue(fakeReply.text('Oslo is sunny.'));
    await h.loop.run({ ...h.input, recorded: { turns, toolCalls: [] } });
    expect(h.log).toEqual(['run get_weather({"city":"Oslo"})', 'recorded m1', 'turn 2']);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('a record whose last turn is the final answer ends without calling the LLM', async () => {
    const h = harness(vendor);
    const final: TurnRecord = {
      step: 1,
      message: { role: 'assistant', text: 'Already answered.', toolCalls: [] },
      usage: { inputTokens: 10, outputTokens: 5, model: MODEL[vendor] },
      cost: { cost: 3, priced: true },
      stopReason: 'end_turn',
    };
    const result = await h.loop.run({ ...h.input, recorded: { turns: [final], toolCalls: [] } });
    expect(result).toMatchObject({ output: 'Already answered.', steps: 1, newTurns: 0, cost: { cost: 3 } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('max steps: a model still asking for tools at the last step fails with max_steps_exceeded, its tools not run', async () => {
    const h = harness(vendor, { agent: { provider: vendor, model: MODEL[vendor], maxSteps: 2 } });
    h.fake.enqueue(
      fakeReply.toolCalls([{ id: 's1', name: 'get_weather', arguments: { city: 'A' } }], { inputTokens: 100, outputTokens: 20 }),
      fakeReply.toolCalls([{ id: 's2', name: 'get_weather', arguments: { city: 'B' } }], { inputTokens: 100, outputTokens: 20 }),
    );
    const e = await failureOf(h.loop.run(h.input));
    expect([e.code, e.retryable]).toEqual(['max_steps_exceeded', false]);
    expect(e.details).toMatchObject({ maxSteps: 2, cost: { cost: 2 * COST_100_20[vendor] } });
    expect(h.executed.map((c) => c.toolCallId)).toEqual(['s1']);
    expect(h.turns).toHaveLength(2);
    expect(h.fake.requests).toHaveLength(2);
  });

  it('structured output: the answer is parsed and validated against outputSchema, and the model is told the schema', async () => {
    const outputSchema = { type: 'object', properties: { score: { type: 'number' } }, required: ['score'] };
    const h = harness(vendor, { outputSchema });
    h.fake.enqueue(fakeReply.text('```json\n{"score": 3}\n```'), fakeReply.text('{"score": "high"}'));
    expect((await h.loop.run(h.input)).output).toEqual({ score: 3 });
    const sentSystem = vendor === 'anthropic' ? h.fake.requests[0].body.system : h.fake.requests[0].body.messages[0].content;
    expect(sentSystem).toContain('You help.');
    expect(sentSystem).toContain(JSON.stringify(outputSchema));
    const e = await failureOf(h.loop.run(h.input));
    expect(e.code).toBe('invalid_output');
    expect(e.details).toMatchObject({ errors: [{ path: '/score', message: 'must be number' }] });
  });

  it('an LLM failure mid-loop keeps its code and carries what the loop had spent', async () => {
    const h = harness(vendor);
    h.fake.enqueue(
      fakeReply.toolCalls([{ id: 'f1', name: 'get_weather', arguments: { city: 'Paris' } }], {
        inputTokens: 100,
        outputTokens: 20,
      }),
      fakeReply.rateLimited(3),
    );
    const e = (await failureOf(h.loop.run(h.input))) as LlmError;
    expect(e).toBeInstanceOf(LlmError);
    expect([e.code, e.retryable, e.retryAfter]).toEqual(['rate_limited', true, 3]);
    expect(e.details.spent).toEqual({
      usage: { inputTokens: 100, outputTokens: 20, model: MODEL[vendor] },
      cost: { cost: COST_100_20[vendor], priced: true },
    });
  });

  it('a tool result larger than the limit fails the loop with tool_result_too_large, after recording the call', async () => {
    const h = harness(vendor, { maxToolResultChars: 50, executeTool: () => Promise.resolve('x'.repeat(51)) });
    h.fake.enqueue(fakeReply.toolCalls([{ id: 'big', name: 'get_weather', arguments: { city: 'Paris' } }]));
    const e = await failureOf(h.loop.run(h.input));
    expect(e.code).toBe('tool_result_too_large');
    expect(h.toolCalls.map((c) => c.error?.code)).toEqual(['tool_result_too_large']);
    expect(h.fake.requests).toHaveLength(1);
  });

  it('an unknown model costs 0 and is flagged', async () => {
    const h = harness(vendor, { agent: { provider: vendor, model: 'model-from-the-future', maxSteps: 3 } });
    h.fake.enqueue(fakeReply.text('hi', { inputTokens: 100, outputTokens: 20 }));
    expect((await h.loop.run(h.input)).cost).toEqual({ cost: 0, priced: false });
  });

  it('an abort while streaming cancels the loop and closes the connection', async () => {
    const controller = new AbortController();
    const h = harness(vendor, { signal: controller.signal, onChunk: () => controller.abort() });
    h.fake.setTokensPerSecond(50);
    h.fake.enqueue(fakeReply.text(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')));
    try {
      const e = await failureOf(h.loop.run(h.input));
      expect(e.code).toBe('cancelled');
      expect(h.turns).toEqual([]);
      await waitFor(() => h.fake.requests[0]?.closedEarly, 'the fake to see the connection close');
    } finally {
      h.fake.setTokensPerSecond(undefined);
    }
  });
});

describe('agent loop config checks', () => {
  it.each([
    [{ tools: [{ ...weather, name: 'has space' }] }, /tool name "has space"/],
    [{ tools: [weather, weather] }, /two tools are named "get_weather"/],
    [{ tools: [{ ...weather, inputSchema: { $ref: '#/nope' } }] }, /does not compile/],
    [{ agent: { provider: 'openai' as const, model: 'm', maxSteps: 0 } }, /maxSteps must be a positive integer/],
  ])('refuses bad config before any call: %#', async (overrides, message) => {
    const h = harness('openai', overrides);
    const e = await failureOf(h.loop.run(h.input));
    expect([e.code, e.message]).toEqual(['invalid_config', expect.stringMatching(message)]);
    expect(h.fake.requests).toHaveLength(0);
  });

  it('refuses a record with a gap in its steps', async () => {
    const h = harness('openai');
    const turn = (step: number): TurnRecord => ({
      step,
      message: { role: 'assistant', text: '', toolCalls: [] },
      usage: { inputTokens: 0, outputTokens: 0, model: 'm' },
      cost: { cost: 0, priced: true },
      stopReason: 'end_turn',
    });
    const e = await failureOf(h.loop.run({ ...h.input, recorded: { turns: [turn(1), turn(3)], toolCalls: [] } }));
    expect(e.code).toBe('invalid_recording');
  });
});
