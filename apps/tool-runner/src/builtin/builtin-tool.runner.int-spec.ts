import { HttpTarget } from '@flowstack/testing';
import { HttpToolExecutor } from '../http/http-tool.executor';
import type { NodeFailure } from '../work/node-failure';
import { BuiltinToolRunner } from './builtin-tool.runner';

const task = {
  workspaceId: 'ws',
  scope: {
    input: { who: 'Ada' },
    nodes: {},
    execution: { id: 'e', workflowId: 'w', workflowVersion: 1, startedAt: '2026-01-01T00:00:00Z' },
  },
};

/** The builtin operations, the webhook against a real local server (guarded and unguarded). */
describe('BuiltinToolRunner', () => {
  const target = new HttpTarget();
  const http = new HttpToolExecutor(true);
  const guarded = new HttpToolExecutor(false);
  const builtin = new BuiltinToolRunner(http);
  const signal = new AbortController().signal;
  const run = (operation: string, args: unknown, options?: Record<string, unknown>, runner = builtin) =>
    runner.run({ operation, ...(options ? { options } : {}) }, args, task, signal);
  const failure = async (p: Promise<unknown>): Promise<NodeFailure> => {
    try {
      await p;
    } catch (e) {
      return e as NodeFailure;
    }
    throw new Error('expected a failure');
  };

  beforeAll(async () => {
    target.route('POST', '/hook', () => ({ json: { received: true } }));
    await target.start();
  });
  afterAll(async () => {
    await Promise.all([http.close(), guarded.close(), target.stop()]);
  });

  it('noop, json_parse, json_stringify and text_template', async () => {
    expect(await run('noop', { a: 1 })).toEqual({ a: 1 });
    expect(await run('json_parse', { text: '{"b":[1]}' })).toEqual({ b: [1] });
    expect((await failure(run('json_parse', { text: '{' }))).code).toBe('invalid_json');
    expect((await failure(run('json_parse', {}))).code).toBe('invalid_arguments');
    expect(await run('json_stringify', { value: { c: 2 } })).toEqual({ text: '{"c":2}' });
    expect(await run('json_stringify', { value: [1], pretty: true })).toEqual({ text: '[\n  1\n]' });
    expect(await run('text_template', { n: 3 }, { template: '{{ input.who }} has {{ args.n }}' })).toEqual({ text: 'Ada has 3' });
    expect((await failure(run('text_template', {}))).code).toBe('invalid_arguments');
  });

  it('sleep waits, refuses bad seconds and stops on cancel', async () => {
    expect(((await run('sleep', { seconds: 0.02 })) as { sleptMs: number }).sleptMs).toBeGreaterThanOrEqual(15);
    expect((await failure(run('sleep', { seconds: 301 }))).code).toBe('invalid_arguments');
    const ctl = new AbortController();
    const started = Date.now();
    const sleeping = builtin.run({ operation: 'sleep' }, { seconds: 60 }, task, ctl.signal);
    setTimeout(() => ctl.abort(), 50);
    expect((await failure(sleeping)).code).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('webhook_notify posts the payload, and goes through the outbound guard', async () => {
    const out = await run('webhook_notify', { event: 'done' }, { url: `${target.url}/hook` });
    expect(out).toEqual({ status: 200, body: { received: true } });
    expect(JSON.parse(target.received.at(-1)!.body)).toEqual({ event: 'done' });
    // A deployment that does not allow private addresses refuses the loopback.
    const refused = await failure(
      run('webhook_notify', { payload: {} }, { url: `${target.url}/hook` }, new BuiltinToolRunner(guarded)),
    );
    expect(refused.code).toBe('address_not_allowed');
  });

  it('an unknown operation is unsupported_tool', async () => {
    expect((await failure(run('rm_rf', {}))).code).toBe('unsupported_tool');
  });
});
