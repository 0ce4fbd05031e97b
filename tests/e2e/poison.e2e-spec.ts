import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { namespaceOf, resultSubject } from '@flowstack/contracts';
import {
  HttpTarget,
  TEST_NATS_URL,
  metricValue,
  scrapeMetrics,
  startPlatform,
  waitFor,
  type TestPlatform,
} from '@flowstack/testing';
import { ApiClient } from './api-client';

jest.setTimeout(180_000);

interface Account {
  client: ApiClient;
  workspaceId: string;
}

async function register(api: ApiClient, label: string): Promise<Account> {
  const reg = await api.post('/api/v1/auth/register', {
    email: `${label}-${randomUUID()}@example.com`,
    password: 'correct horse battery',
  });
  expect(reg.status).toBe(201);
  return { client: api.as(reg.body.token), workspaceId: reg.body.workspace.id };
}

/** `in -> call (an http tool) [-> out]`, saved in the account's workspace; returns the workflow id. */
async function toolWorkflow(account: Account, url: string, withOutput = true): Promise<string> {
  const wf = await account.client.post('/api/v1/workflows', {
    name: 'poison',
    graph: {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        // A long timeout: a held call must not end by itself while the test waits on the poison.
        { id: 'call', type: 'tool', config: { tool: { kind: 'http', method: 'POST', url, body: {}, timeoutMs: 300_000 } } },
        ...(withOutput ? [{ id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } }] : []),
      ],
      edges: [{ from: 'in', to: 'call' }, ...(withOutput ? [{ from: 'call', to: 'out' }] : [])],
    },
  });
  expect(wf.status).toBe(201);
  return wf.body.id as string;
}

async function start(account: Account, workflowId: string): Promise<string> {
  const res = await account.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
  expect(res.status).toBe(202);
  return res.body.executionId as string;
}

/** Waits until the execution has finished and returns its view. */
const finished = (account: Account, executionId: string, timeoutMs = 60_000) =>
  waitFor(
    async () => {
      const view = (await account.client.get(`/api/v1/executions/${executionId}`)).body;
      return view.status === 'completed' || view.status === 'failed' ? view : undefined;
    },
    `execution ${executionId} to finish`,
    timeoutMs,
    100,
  );

/**
 * Issue 7: poison is parked, not retried forever. A result the orchestrator cannot record is
 * redelivered a bounded number of times, then becomes a dead letter and fails its execution with
 * a clear error, while the orchestrator stays up and other workspaces' runs complete; the letter
 * is visible to its workspace's admin only. A task whose runner dies with `WORK_MAX_DELIVER`
 * deliveries spent fails its node instead of leaving the run `running` forever.
 */
describe('poison results and tasks', () => {
  describe('RESULTS', () => {
    let platform: TestPlatform;
    let target: HttpTarget;
    let nc: NatsConnection;
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));

    beforeAll(async () => {
      target = await new HttpTarget()
        // Holds the tool's call, so the only result the orchestrator sees for it is the crafted one.
        .route('POST', '/hold', async () => {
          await held;
          return { json: { late: true } };
        })
        .route('POST', '/ok', () => ({ json: { fine: true } }))
        // Valid JSON whose string holds U+0000: Postgres jsonb refuses it on every append.
        .route('POST', '/nul', () => ({ json: { text: 'before\u0000after' } }))
        .start();
      platform = await startPlatform({
        label: 'poison',
        serviceEnv: { orchestrator: { RESULTS_MAX_DELIVER: '3', RESULTS_RETRY_BACKOFF_MS: '100' } },
      });
      nc = await connect({ servers: TEST_NATS_URL });
    });

    afterAll(async () => {
      release();
      await nc?.close();
      await platform?.stop();
      await target?.stop();
    });

    it('parks a result that can never be recorded after bounded deliveries and fails its execution', async () => {
      const api = new ApiClient(platform.baseUrl);
      const [alice, bob] = [await register(api, 'alice'), await register(api, 'bob')];
      const poisoned = await start(alice, await toolWorkflow(alice, `${target.url}/hold`, false));
      await waitFor(() => target.calls('/hold') === 1, 'the tool call to be in flight');

      // A buggy (or hostile) publisher on the bus: a result for the node whose output is nested
      // deeper than any JSON serializer goes, so recording it throws on every delivery.
      const depth = 100_000;
      const now = new Date().toISOString();
      const head = JSON.stringify({
        taskId: `${poisoned}:call:1`,
        executionId: poisoned,
        workspaceId: alice.workspaceId,
        nodeId: 'call',
        attempt: 1,
        status: 'succeeded',
        startedAt: now,
        finishedAt: now,
      });
      const body = `${head.slice(0, -1)},"output":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      await jetstream(nc).publish(
        resultSubject(namespaceOf(platform.env.FLOWSTACK_NS), poisoned),
        new TextEncoder().encode(body),
        {
          msgID: `crafted-${randomUUID()}`,
        },
      );

      // Meanwhile another workspace's run goes through.
      const other = await start(bob, await toolWorkflow(bob, `${target.url}/ok`));
      expect(await finished(bob, other)).toMatchObject({ status: 'completed', output: { fine: true } });

      const view = await finished(alice, poisoned);
      expect(view).toMatchObject({
        status: 'failed',
        error: { code: 'result_unprocessable', nodeId: 'call' },
        nodes: { call: { status: 'failed', error: { code: 'result_unprocessable' } } },
      });
      expect(view.error.message).toMatch(/could not be recorded after 3 deliver/);
      expect(platform.services.get('orchestrator')!.child.exitCode).toBeNull();

      // The orchestrator still serves after it: a new run of the other workspace completes.
      const again = await start(bob, await toolWorkflow(bob, `${target.url}/ok`));
      expect(await finished(bob, again)).toMatchObject({ status: 'completed' });

      const letters = await alice.client.get('/api/v1/dead-letters?limit=10');
      expect(letters.status).toBe(200);
      expect(letters.body.total).toBe(1);
      expect(letters.body.items).toHaveLength(1);
      const [letter] = letters.body.items;
      expect(letter).toMatchObject({
        source: 'results',
        executionId: poisoned,
        taskId: `${poisoned}:call:1`,
        nodeId: 'call',
        deliveries: 3,
        payloadBytes: Buffer.byteLength(body),
      });
      expect(letter.error).toMatch(/call stack/i);
      expect(letter.payloadPrefix.length).toBeLessThanOrEqual(2049);
      expect(letter.payloadPrefix.startsWith(head.slice(0, -1))).toBe(true);

      // Another workspace sees none of it.
      const theirs = await bob.client.get('/api/v1/dead-letters');
      expect(theirs.status).toBe(200);
      expect(theirs.body).toMatchObject({ items: [], nextCursor: null, total: 0 });

      // And the orchestrator's metrics count it, for alerts that need no admin token.
      const scrape = await scrapeMetrics(platform.metricsUrl('orchestrator'));
      const series = (source: string) => metricValue(scrape, 'flowstack_dead_letters_total', { source, service: 'orchestrator' });
      expect(series('results')).toBeGreaterThanOrEqual(1);
      expect([series('work'), series('relay')]).toEqual([0, 0]);
    });

    it('fails a node whose tool answered a string holding \\u0000 with output_unstorable at once', async () => {
      const api = new ApiClient(platform.baseUrl);
      const carol = await register(api, 'carol');
      const executionId = await start(carol, await toolWorkflow(carol, `${target.url}/nul`));
      const view = await finished(carol, executionId, 30_000);
      expect(view).toMatchObject({ status: 'failed', error: { code: 'output_unstorable', nodeId: 'call' } });
      expect(target.calls('/nul')).toBe(1);
      expect(platform.services.get('orchestrator')!.child.exitCode).toBeNull();
    });

    it('pages dead letters by cursor and refuses a malformed cursor with 400', async () => {
      const api = new ApiClient(platform.baseUrl);
      const dave = await register(api, 'dave');
      const empty = await dave.client.get('/api/v1/dead-letters?limit=1');
      expect(empty.body).toEqual({ items: [], nextCursor: null, total: 0 });
      const bad = await dave.client.get('/api/v1/dead-letters?cursor=abc');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('validation_failed');
      expect((await dave.client.get('/api/v1/dead-letters?limit=0')).status).toBe(400);
      expect((await new ApiClient(platform.baseUrl).get('/api/v1/dead-letters')).status).toBe(401);
    });
  });

  describe('WORK', () => {
    let platform: TestPlatform;
    let target: HttpTarget;
    const runnerEnv = { WORK_MAX_DELIVER: '1', WORK_ACK_WAIT_MS: '1500' };

    beforeAll(async () => {
      target = await new HttpTarget()
        // Never answers: the runner holding the call is killed while it waits.
        .route('POST', '/hang', () => new Promise(() => undefined))
        .route('POST', '/ok', () => ({ json: { fine: true } }))
        .start();
      platform = await startPlatform({ label: 'poisonwork', serviceEnv: { 'tool-runner': runnerEnv } });
    });

    afterAll(async () => {
      await platform?.stop();
      await target?.stop();
    });

    it('fails the node of a task that exhausted its deliveries instead of leaving the run running', async () => {
      const api = new ApiClient(platform.baseUrl);
      const erin = await register(api, 'erin');
      const executionId = await start(erin, await toolWorkflow(erin, `${target.url}/hang`));
      await waitFor(() => target.calls('/hang') === 1, 'the tool call to be in flight');

      await platform.services.get('tool-runner')!.kill();
      await platform.start('tool-runner', runnerEnv);

      const view = await finished(erin, executionId);
      expect(view).toMatchObject({
        status: 'failed',
        error: { code: 'task_undeliverable', nodeId: 'call' },
        nodes: { call: { status: 'failed' } },
      });
      // Its one delivery was spent: the tool was not called again.
      expect(target.calls('/hang')).toBe(1);

      const letters = (await erin.client.get('/api/v1/dead-letters')).body;
      expect(letters.items).toMatchObject([{ source: 'work', executionId, taskId: `${executionId}:call:1`, deliveries: 1 }]);
      const scrape = await scrapeMetrics(platform.metricsUrl('orchestrator'));
      expect(metricValue(scrape, 'flowstack_dead_letters_total', { source: 'work' })).toBe(1);

      // The new runner works on: another run completes.
      const next = await start(erin, await toolWorkflow(erin, `${target.url}/ok`));
      expect(await finished(erin, next)).toMatchObject({ status: 'completed' });
    });
  });
});
