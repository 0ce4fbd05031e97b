import { randomUUID } from 'node:crypto';
import { Limits, type NodeTask } from '@flowstack/contracts';
import { HttpTarget } from '@flowstack/testing';
import { NodeFailure } from '../work/node-failure';
import { HttpToolExecutor } from './http-tool.executor';

const taskFor = (tool: Record<string, unknown>, input: unknown = {}, nodes: NodeTask['scope']['nodes'] = {}): NodeTask => ({
  taskId: `${randomUUID()}:call:1`,
  executionId: randomUUID(),
  workspaceId: randomUUID(),
  attempt: 1,
  node: { id: 'call', type: 'tool', config: { tool: { kind: 'http', ...tool } } },
  scope: { input, nodes, execution: { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: new Date().toISOString() } },
});

const failureOf = async (p: Promise<unknown>): Promise<NodeFailure> => {
  try {
    await p;
  } catch (e) {
    return e as NodeFailure;
  }
  throw new Error('expected a NodeFailure');
};

/** The http tool against a real local HTTP server. */
describe('HttpToolExecutor', () => {
  const target = new HttpTarget();
  const executor = new HttpToolExecutor(true);
  const signal = new AbortController().signal;

  beforeAll(async () => {
    target
      .route('GET', '/items', (req) => ({ json: { got: req.path, n: 3 } }))
      .route('POST', '/echo', (req) => ({ json: { body: JSON.parse(req.body), auth: req.headers.authorization } }))
      .route('GET', '/text', () => ({ text: 'plain words' }))
      .route('GET', '/huge', () => ({ text: 'h'.repeat(Limits.maxValueBytes + 1) }))
      .route('GET', '/busy', () => ({ status: 503, json: { error: 'busy' } }))
      .route('GET', '/slow', () => new Promise((r) => setTimeout(() => r({ json: {} }), 2_000).unref()));
    await target.start();
  });

  afterAll(async () => {
    await executor.close();
    await target.stop();
  });

  it('renders templates from the input and earlier outputs and parses a JSON answer', async () => {
    const task = taskFor(
      {
        method: 'POST',
        url: `${target.url}/echo`,
        headers: { authorization: 'Bearer {{ nodes.login.output.token }}' },
        body: { name: '{{ input.name }}', count: '{{ input.count }}' },
      },
      { name: 'Ada', count: 2 },
      { login: { output: { token: 't0k' } } },
    );
    const { output } = await executor.execute(task, signal);
    expect(output).toMatchObject({ status: 200, body: { body: { name: 'Ada', count: 2 }, auth: 'Bearer t0k' } });
    expect((output as { headers: Record<string, string> }).headers['content-type']).toContain('application/json');
    expect(JSON.parse(target.received.at(-1)!.body)).toEqual({ name: 'Ada', count: 2 });
  });

  it('stops reading a body above Limits.maxValueBytes (response_too_large), whatever the config allows', async () => {
    const failure = await failureOf(
      executor.execute(taskFor({ url: `${target.url}/huge`, maxResponseBytes: 50_000_000 }), signal),
    );
    expect(failure).toBeInstanceOf(NodeFailure);
    expect(failure.code).toBe('response_too_large');
    expect(failure.retryable).toBe(false);
  });

  it('returns a text body as text', async () => {
    const { output } = await executor.execute(taskFor({ url: `${target.url}/text` }), signal);
    expect(output).toMatchObject({ status: 200, body: 'plain words' });
  });

  it('fails the node on a non-2xx status, retryable for 503, unless told otherwise', async () => {
    const failure = await failureOf(executor.execute(taskFor({ url: `${target.url}/busy` }), signal));
    expect(failure).toBeInstanceOf(NodeFailure);
    expect(failure).toMatchObject({ code: 'http_status', retryable: true, details: { status: 503 } });
    const { output } = await executor.execute(taskFor({ url: `${target.url}/busy`, failOnHttpError: false }), signal);
    expect(output).toMatchObject({ status: 503, body: { error: 'busy' } });
  });

  it('times out with a retryable timeout failure', async () => {
    const failure = await failureOf(executor.execute(taskFor({ url: `${target.url}/slow`, timeoutMs: 100 }), signal));
    expect(failure).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports an unreachable server as a retryable network error', async () => {
    const failure = await failureOf(executor.execute(taskFor({ url: 'http://127.0.0.1:9/nothing' }), signal));
    expect(failure).toMatchObject({ code: 'network_error', retryable: true });
  });

  it('rejects a config that is invalid after rendering, naming the field', async () => {
    const failure = await failureOf(executor.execute(taskFor({ url: '{{ input.missing }}' }), signal));
    expect(failure.code).toBe('invalid_config');
    expect(failure.message).toMatch(/url/);
  });

  it('refuses loopback targets when private networks are not allowed', async () => {
    const strict = new HttpToolExecutor(false);
    try {
      const literal = await failureOf(strict.execute(taskFor({ url: `${target.url}/items` }), signal));
      expect(literal.code).toBe('address_not_allowed');
      const named = await failureOf(strict.execute(taskFor({ url: `http://localhost:${target.port}/items` }), signal));
      expect(named.code).toBe('address_not_allowed');
      expect(target.received.filter((r) => r.path === '/items')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('refuses every spelling of a loopback literal, after URL normalization, before any connection', async () => {
    const strict = new HttpToolExecutor(false);
    const port = target.port;
    try {
      for (const host of [
        '[::127.0.0.1]',
        '[::7f00:1]',
        '[::ffff:127.0.0.1]',
        '[::ffff:7f00:1]',
        '[64:ff9b::127.0.0.1]',
        '[2002:7f00:1::]',
        '2130706433',
        '0x7f.1',
        '017700000001',
        '127.1',
        '0.0.0.0',
      ]) {
        const failure = await failureOf(strict.execute(taskFor({ url: `http://${host}:${port}/spelled` }), signal));
        expect({ host, code: failure.code }).toEqual({ host, code: 'address_not_allowed' });
      }
      expect(target.received.filter((r) => r.path === '/spelled')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/x', 'gopher://127.0.0.1:70/x', 'data:text/plain,hi', 'javascript:alert(1)'])(
    'refuses the non-http scheme of %s at run as invalid_config',
    async (url) => {
      const failure = await failureOf(executor.execute(taskFor({ url }), signal));
      expect(failure).toMatchObject({ code: 'invalid_config', message: expect.stringMatching(/url/) });
    },
  );
});
