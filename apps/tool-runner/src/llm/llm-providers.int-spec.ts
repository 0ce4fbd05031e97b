import { createServer } from 'node:net';
import { FakeLlmServer, fakeReply, waitFor } from '@flowstack/testing';
import { LlmError } from './llm-error';
import { createLlmProvider, ProviderConfigError } from './llm-provider.factory';
import type { CompletionRequest, LlmProvider } from './llm.types';

// Both SDKs, for real, against local servers that speak the vendors' HTTP APIs.
type Vendor = 'anthropic' | 'openai';
const vendors: Vendor[] = ['anthropic', 'openai'];

const servers: Record<Vendor, FakeLlmServer> = {
  anthropic: new FakeLlmServer('anthropic'),
  openai: new FakeLlmServer('openai'),
};
const providerFor = (vendor: Vendor, timeoutMs?: number): LlmProvider =>
  createLlmProvider(vendor, { apiKey: `key-${vendor}`, baseUrl: servers[vendor].baseUrl, ...(timeoutMs ? { timeoutMs } : {}) });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather of a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const ask = (extra: Partial<CompletionRequest> = {}): CompletionRequest => ({
  model: 'test-model',
  system: 'You are terse.',
  messages: [{ role: 'user', text: 'Hello' }],
  ...extra,
});

async function failureOf(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(LlmError);
    return e as LlmError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.start()));
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.stop()));
});
beforeEach(() => {
  for (const s of Object.values(servers)) {
    s.requests.length = 0;
    s.setTokensPerSecond(undefined);
  }
});
afterEach(() => {
  for (const s of Object.values(servers)) expect(s.pending).toBe(0);
});

describe.each(vendors)('%s provider through its official SDK', (vendor) => {
  const fake = () => servers[vendor];

  it('answers a JSON (non-streaming) call with text, usage and the model, and sends the system prompt and key', async () => {
    fake().enqueue(fakeReply.text('Hi there.', { inputTokens: 12, outputTokens: 3, model: 'test-model-2026' }));
    const result = await providerFor(vendor).complete(ask({ parameters: { maxTokens: 100, temperature: 0.2 } }));
    expect(result).toEqual({
      message: { role: 'assistant', text: 'Hi there.', toolCalls: [] },
      usage: { inputTokens: 12, outputTokens: 3, model: 'test-model-2026' },
      stopReason: 'end_turn',
    });
    const [sent] = fake().requests;
    expect(sent.stream).toBe(false);
    expect(sent.body.temperature).toBe(0.2);
    expect(sent.headers.authorization ?? sent.headers['x-api-key']).toContain(`key-${vendor}`);
    if (vendor === 'anthropic') {
      expect(sent.body).toMatchObject({
        system: 'You are terse.',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Hello' }],
      });
    } else {
      expect(sent.body).toMatchObject({
        max_completion_tokens: 100,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Hello' },
        ],
      });
    }
  });

  it('streams text chunks through onChunk in order and still returns the whole message with usage', async () => {
    fake().enqueue(fakeReply.text('one two three four', { inputTokens: 9, outputTokens: 4 }));
    const chunks: string[] = [];
    const result = await providerFor(vendor).complete(ask({ onChunk: (c) => chunks.push(c) }));
    expect(chunks).toEqual(['one ', 'two ', 'three ', 'four']);
    expect(result.message.text).toBe('one two three four');
    expect(result.usage).toEqual({ inputTokens: 9, outputTokens: 4, model: 'test-model' });
    const [sent] = fake().requests;
    expect(sent.stream).toBe(true);
    if (vendor === 'openai') expect(sent.body.stream_options).toEqual({ include_usage: true });
  });

  it.each([false, true])(
    'returns a tool call with parsed arguments and sends the tool in the vendor shape (stream %s)',
    async (stream) => {
      fake().enqueue(fakeReply.toolCalls([{ id: 'call-1', name: 'get_weather', arguments: { city: 'Paris' } }]));
      const result = await providerFor(vendor).complete(ask({ tools: [weatherTool], stream }));
      expect(result.stopReason).toBe('tool_use');
      expect(result.message.toolCalls).toEqual([{ id: 'call-1', name: 'get_weather', arguments: { city: 'Paris' } }]);
      const tools = fake().requests[0].body.tools;
      if (vendor === 'anthropic')
        expect(tools).toEqual([
          { name: 'get_weather', description: weatherTool.description, input_schema: weatherTool.inputSchema },
        ]);
      else
        expect(tools).toEqual([
          {
            type: 'function',
            function: { name: 'get_weather', description: weatherTool.description, parameters: weatherTool.inputSchema },
          },
        ]);
    },
  );

  it.each([false, true])('returns parallel tool calls in order, with text beside them (stream %s)', async (stream) => {
    fake().enqueue(
      fakeReply.toolCalls(
        [
          { id: 'a', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'b', name: 'get_weather', arguments: { city: 'Rome' } },
          { id: 'c', name: 'get_time', arguments: {} },
        ],
        { text: 'Checking.' },
      ),
    );
    const result = await providerFor(vendor).complete(ask({ tools: [weatherTool], stream }));
    expect(result.message.text).toBe('Checking.');
    expect(result.message.toolCalls.map((c) => [c.id, c.name, c.arguments])).toEqual([
      ['a', 'get_weather', { city: 'Paris' }],
      ['b', 'get_weather', { city: 'Rome' }],
      ['c', 'get_time', {}],
    ]);
  });

  it('sends earlier tool calls and their results in the vendor shape', async () => {
    fake().enqueue(fakeReply.text('Sunny in Paris, rain in Rome.'));
    await providerFor(vendor).complete(
      ask({
        tools: [weatherTool],
        messages: [
          { role: 'user', text: 'Weather?' },
          {
            role: 'assistant',
            text: '',
            toolCalls: [
              { id: 'a', name: 'get_weather', arguments: { city: 'Paris' } },
              { id: 'b', name: 'get_weather', arguments: { city: 'Rome' } },
            ],
          },
          {
            role: 'tool_results',
            results: [
              { toolCallId: 'a', content: 'sunny' },
              { toolCallId: 'b', content: 'lookup failed', isError: true },
            ],
          },
        ],
      }),
    );
    const { messages } = fake().requests[0].body;
    if (vendor === 'anthropic') {
      expect(messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'a', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'b', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'a', content: 'sunny' },
            { type: 'tool_result', tool_use_id: 'b', content: 'lookup failed', is_error: true },
          ],
        },
      ]);
    } else {
      expect(messages.slice(2)).toEqual([
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'sunny' },
        { role: 'tool', tool_call_id: 'b', content: 'lookup failed' },
      ]);
    }
  });

  describe('errors, each mapped to a code and a retryable flag, with the SDK retrying nothing itself', () => {
    it('429 -> rate_limited, retryable, retryAfter from retry-after', async () => {
      fake().enqueue(fakeReply.rateLimited(7));
      const e = await failureOf(providerFor(vendor).complete(ask({ onChunk: () => undefined })));
      expect([e.code, e.retryable, e.retryAfter, e.details.status]).toEqual(['rate_limited', true, 7, 429]);
      expect(e.toNodeError()).toMatchObject({
        code: 'rate_limited',
        retryable: true,
        details: { retryAfter: 7, provider: vendor },
      });
      expect(fake().requests).toHaveLength(1);
    });

    it.each([500, 503, 529])('%s -> provider_unavailable, retryable', async (status) => {
      fake().enqueue(fakeReply.serverError(status));
      const e = await failureOf(providerFor(vendor).complete(ask()));
      expect([e.code, e.retryable, e.details.status]).toEqual(['provider_unavailable', true, status]);
      expect(fake().requests).toHaveLength(1);
    });

    it.each([401, 403])('%s -> provider_auth_failed, not retryable', async (status) => {
      fake().enqueue(fakeReply.unauthorized(status));
      const e = await failureOf(providerFor(vendor).complete(ask()));
      expect([e.code, e.retryable, e.details.status]).toEqual(['provider_auth_failed', false, status]);
    });

    it('400 -> provider_bad_request with the vendor message', async () => {
      fake().enqueue(fakeReply.badRequest('temperature: must be at most 1'));
      const e = await failureOf(providerFor(vendor).complete(ask()));
      expect([e.code, e.retryable]).toEqual(['provider_bad_request', false]);
      expect(e.message).toContain('temperature: must be at most 1');
    });

    it('400 whose body says the prompt is too long -> context_length_exceeded', async () => {
      fake().enqueue(fakeReply.contextTooLong());
      const e = await failureOf(providerFor(vendor).complete(ask({ onChunk: () => undefined })));
      expect([e.code, e.retryable, e.details.status]).toEqual(['context_length_exceeded', false, 400]);
    });

    it('404 (unknown model or wrong base URL) -> provider_not_found', async () => {
      fake().enqueue({ type: 'error', status: 404, message: 'model: nope' });
      const e = await failureOf(providerFor(vendor).complete(ask()));
      expect([e.code, e.retryable]).toEqual(['provider_not_found', false]);
    });

    it.each(['destroy', 'end'] as const)(
      'a stream cut mid-way (%s) -> stream_interrupted, retryable, never a truncated success',
      async (mode) => {
        fake().enqueue(fakeReply.streamCut('alpha beta gamma delta epsilon', 2, mode));
        const chunks: string[] = [];
        const e = await failureOf(providerFor(vendor).complete(ask({ onChunk: (c) => chunks.push(c) })));
        expect([e.code, e.retryable]).toEqual(['stream_interrupted', true]);
        expect(chunks).toEqual(['alpha ', 'beta ']);
      },
    );

    it('a refused connection -> provider_unavailable, retryable', async () => {
      const port = await closedPort();
      const provider = createLlmProvider(vendor, {
        apiKey: 'k',
        baseUrl: vendor === 'anthropic' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`,
      });
      const e = await failureOf(provider.complete(ask()));
      expect([e.code, e.retryable]).toEqual(['provider_unavailable', true]);
    });
  });

  it('an abort mid-stream rejects with cancelled and closes the HTTP connection (the fake sees it)', async () => {
    fake().setTokensPerSecond(50);
    fake().enqueue(fakeReply.text(Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ')));
    const controller = new AbortController();
    const chunks: string[] = [];
    const call = providerFor(vendor).complete(
      ask({
        signal: controller.signal,
        onChunk: (c) => {
          chunks.push(c);
          if (chunks.length === 3) controller.abort();
        },
      }),
    );
    const e = await failureOf(call);
    expect([e.code, e.retryable]).toEqual(['cancelled', false]);
    await waitFor(() => fake().requests[0]?.closedEarly, 'the fake to see the connection close');
    expect(fake().requests[0].completed).toBe(false);
    expect(chunks.length).toBeLessThan(10);
  });

  it('a call slower than its timeout -> timeout, retryable, and the connection is closed', async () => {
    fake().setTokensPerSecond(20);
    fake().enqueue(fakeReply.text(Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')));
    const e = await failureOf(providerFor(vendor, 300).complete(ask({ onChunk: () => undefined })));
    expect([e.code, e.retryable]).toEqual(['timeout', true]);
    await waitFor(() => fake().requests[0]?.closedEarly, 'the fake to see the connection close');
  });
});

describe('openai-family providers and base URLs', () => {
  it('glm and openai_compatible send max_tokens (not max_completion_tokens) to their base URL', async () => {
    for (const provider of ['glm', 'openai_compatible'] as const) {
      servers.openai.enqueue(fakeReply.text('ok'));
      const llm = createLlmProvider(provider, { apiKey: 'k', baseUrl: servers.openai.baseUrl });
      expect(llm.name).toBe(provider);
      await llm.complete(ask({ parameters: { maxTokens: 50, stop: ['END'] } }));
    }
    expect(servers.openai.requests.map((r) => [r.body.max_tokens, r.body.max_completion_tokens, r.body.stop])).toEqual([
      [50, undefined, ['END']],
      [50, undefined, ['END']],
    ]);
  });

  it('anthropic sends stop sequences and a default max_tokens', async () => {
    servers.anthropic.enqueue(fakeReply.text('ok'));
    await providerFor('anthropic').complete(ask({ parameters: { stop: ['END'] } }));
    expect(servers.anthropic.requests[0].body).toMatchObject({ stop_sequences: ['END'], max_tokens: 4096 });
  });

  it('refuses before any call: a vendor without a key, openai_compatible without a base URL, a base URL that is not http(s)', () => {
    expect(() => createLlmProvider('openai_compatible', {})).toThrow(ProviderConfigError);
    for (const provider of ['anthropic', 'openai', 'glm'] as const) {
      expect(() => createLlmProvider(provider, { baseUrl: servers.openai.baseUrl })).toThrow(
        expect.objectContaining({ code: 'credential_missing', message: expect.stringContaining('needs an API key') }),
      );
    }
    expect(() => createLlmProvider('openai', { apiKey: 'k', baseUrl: 'file:///etc/passwd' })).toThrow(/http or https/);
    expect(() => createLlmProvider('anthropic', { apiKey: 'k', baseUrl: 'not a url' })).toThrow(/not a URL/);
    expect(() => createLlmProvider('mistral' as never, { apiKey: 'k' })).toThrow(/unknown provider/);
  });

  it('a model that answers arguments that are not a JSON object is flagged, not crashed on', async () => {
    servers.openai.enqueue({
      type: 'error',
      status: 200,
      body: {
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'm',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{"city": Par' } }],
            },
          },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      },
    });
    const result = await providerFor('openai').complete(ask());
    expect(result.message.toolCalls).toEqual([{ id: 't', name: 'f', arguments: {}, invalidArguments: '{"city": Par' }]);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
