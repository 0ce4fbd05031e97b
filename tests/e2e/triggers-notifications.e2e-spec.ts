import { Pool } from 'pg';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { MAX_TRIGGER_DEPTH, namespaceOf, streamName, subject } from '@flowstack/contracts';
import { HttpTarget, startPlatform, TEST_NATS_URL, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

/** Doubles `input.n`: its output is `{ total }`. */
const doubler = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'calc', type: 'transform', config: { expression: '{ "total": input.n * 2 }' } },
    { id: 'out', type: 'output', config: { value: '{{ nodes.calc.output }}' } },
  ],
  edges: [
    { from: 'in', to: 'calc' },
    { from: 'calc', to: 'out' },
  ],
};
/** Fails at its transform node. */
const failing = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'boom', type: 'transform', config: { expression: '$error("boom")' } },
    { id: 'out', type: 'output', config: { value: 'never' } },
  ],
  edges: [
    { from: 'in', to: 'boom' },
    { from: 'boom', to: 'out' },
  ],
};
/** Outputs its input. */
const echo = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'out', type: 'output', config: { value: '{{ input }}' } },
  ],
  edges: [{ from: 'in', to: 'out' }],
};

/**
 * Event triggers and run notifications end to end: a run's end starts another workflow with a
 * JSONata-mapped input (once, only when the condition holds), a loop stops at the depth limit,
 * notifications reach Slack-, Discord- and generic-shaped receivers with retries, and webhooks'
 * token mode, sealed secrets and rate limit.
 */
describe('event triggers and notifications', () => {
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let sql: Pool;
  const receiver = new HttpTarget();
  let slackCalls = 0;

  beforeAll(async () => {
    receiver
      .route('POST', '/generic', () => ({ status: 204 }))
      .route('POST', '/discord', () => ({ status: 204 }))
      // Down twice, then back: the delivery is retried with backoff until it lands.
      .route('POST', '/slack', () => (++slackCalls <= 2 ? { status: 503, text: 'maintenance' } : { text: 'ok' }))
      .route('POST', '/gone', () => ({ status: 410, text: 'this hook was removed' }));
    await receiver.start();
    platform = await startPlatform({
      label: 'triggers',
      serviceEnv: { scheduler: { SCHEDULER_NOTIFY_RETRY_MS: '100', SCHEDULER_HOOK_RATE_PER_MIN: '5', SCHEDULER_POLL_MS: '200' } },
    });
    const api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([registerTenant(api, 'trig-alice'), registerTenant(api, 'trig-bob')]);
    sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    sql.on('error', () => undefined);
  });

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
    await receiver.stop();
  });

  const run = async (workflowId: string, input: unknown): Promise<string> => {
    const res = await alice.client.post(`/api/v1/workflows/${workflowId}/executions`, { input });
    expect(res.status).toBe(202);
    return res.body.executionId;
  };
  const finished = (id: string) =>
    waitFor(
      async () => {
        const res = await alice.client.get(`/api/v1/executions/${id}`);
        return ['completed', 'failed'].includes(res.body?.status) ? res.body : undefined;
      },
      `run ${id} to end`,
      30_000,
    );
  const startedBy = async (triggerId: string) =>
    (
      await sql.query<{ id: string; data: any }>(
        `SELECT stream_id AS id, data FROM event_store.events WHERE type = 'ExecutionStarted' AND data->'trigger'->>'by' = $1`,
        [triggerId],
      )
    ).rows;
  const historyOf = (triggerId: string, want: number) =>
    waitFor(
      async () => {
        const res = await alice.client.get(`/api/v1/triggers/${triggerId}/history`);
        return res.body?.items?.length >= want ? res.body.items : undefined;
      },
      `${want} fire(s) of trigger ${triggerId}`,
      30_000,
    );

  it('starts the target once with the mapped input when the source completes and the condition holds', async () => {
    const source = await createWorkflow(alice.client, 'source', doubler);
    const target = await createWorkflow(alice.client, 'target', echo);
    const created = await alice.client.post('/api/v1/triggers', {
      sourceWorkflowId: source,
      targetWorkflowId: target,
      condition: 'output.total > 10',
      input: '{ "doubled": output.total, "from": execution.id, "n": input.n }',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ sourceWorkflowId: source, targetWorkflowId: target, on: ['completed'], enabled: true });
    const trigger = created.body.id;

    const big = await run(source, { n: 10 });
    const small = await run(source, { n: 1 });
    const items = await historyOf(trigger, 2);
    const fired = items.find((i: any) => i.sourceExecutionId === big);
    expect(fired).toMatchObject({ result: 'started', sourceOutcome: 'completed', depth: 1, error: null });
    expect(items.find((i: any) => i.sourceExecutionId === small)).toMatchObject({ result: 'condition_false', executionId: null });

    const targetRun = await finished(fired.executionId);
    expect(targetRun).toMatchObject({ workflowId: target, status: 'completed', input: { doubled: 20, from: big, n: 10 } });
    const starts = await startedBy(trigger);
    expect(starts).toHaveLength(1);
    expect(starts[0].data.trigger).toEqual({ type: 'event', by: trigger, depth: 1 });
  });

  it('reacts to failures with the error in scope, and stops a loop at the depth limit', async () => {
    const broken = await createWorkflow(alice.client, 'broken', failing);
    const sink = await createWorkflow(alice.client, 'sink', echo);
    const onFail = await alice.client.post('/api/v1/triggers', {
      sourceWorkflowId: broken,
      targetWorkflowId: sink,
      on: ['failed'],
      input: '{ "failedRun": execution.id, "code": error.code }',
    });
    expect(onFail.status).toBe(201);
    const failedRun = await run(broken, {});
    const [fire] = await historyOf(onFail.body.id, 1);
    expect(fire).toMatchObject({ result: 'started', sourceOutcome: 'failed' });
    const sinkRun = await finished(fire.executionId);
    expect(sinkRun.input).toEqual({ failedRun: failedRun, code: expect.any(String) });

    // X -> Y -> X -> ...: each link is one deeper; the one past the limit is refused.
    const x = await createWorkflow(alice.client, 'ping', echo);
    const y = await createWorkflow(alice.client, 'pong', echo);
    const xy = (await alice.client.post('/api/v1/triggers', { sourceWorkflowId: x, targetWorkflowId: y })).body.id;
    const yx = (await alice.client.post('/api/v1/triggers', { sourceWorkflowId: y, targetWorkflowId: x })).body.id;
    await run(x, { hop: 1 });
    const refused = await waitFor(
      async () => {
        for (const t of [xy, yx]) {
          const items = (await alice.client.get(`/api/v1/triggers/${t}/history`)).body.items ?? [];
          const hit = items.find((i: any) => i.result === 'depth_exceeded');
          if (hit) return hit;
        }
        return undefined;
      },
      'the loop to hit the depth limit',
      60_000,
    );
    expect(refused).toMatchObject({ depth: MAX_TRIGGER_DEPTH + 1, executionId: null, error: expect.stringContaining('at most') });
    const chained = [...(await startedBy(xy)), ...(await startedBy(yx))];
    expect(chained).toHaveLength(MAX_TRIGGER_DEPTH);
    expect(chained.map((c) => c.data.trigger.depth).sort()).toEqual(Array.from({ length: MAX_TRIGGER_DEPTH }, (_, i) => i + 1));
  });

  it("refuses bad triggers naming the field, and another workspace's workflows with 404", async () => {
    const wf = await createWorkflow(alice.client, 'plain', echo);
    const bad = await alice.client.post('/api/v1/triggers', {
      sourceWorkflowId: wf,
      targetWorkflowId: wf,
      condition: 'output.(',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'condition', rule: 'expression_syntax' })]);
    const badOn = await alice.client.post('/api/v1/triggers', { sourceWorkflowId: wf, targetWorkflowId: wf, on: ['started'] });
    expect(badOn.status).toBe(400);
    expect(badOn.body.errors[0].path).toMatch(/^on/);
    const foreign = await bob.client.post('/api/v1/triggers', { sourceWorkflowId: wf, targetWorkflowId: wf });
    expect(foreign.status).toBe(404);
    const mine = (await alice.client.post('/api/v1/triggers', { sourceWorkflowId: wf, targetWorkflowId: wf, enabled: false }))
      .body;
    expect((await bob.client.get(`/api/v1/triggers/${mine.id}`)).status).toBe(404);
    const patched = await alice.client.patch(`/api/v1/triggers/${mine.id}`, { condition: 'status = "completed"', enabled: true });
    expect(patched.body).toMatchObject({ condition: 'status = "completed"', enabled: true });
    expect((await alice.client.delete(`/api/v1/triggers/${mine.id}`)).status).toBe(204);
    expect((await alice.client.get(`/api/v1/triggers/${mine.id}`)).status).toBe(404);
  });

  it('notifies Slack, Discord and generic receivers, retrying a receiver that is down until it recovers', async () => {
    const wf = await createWorkflow(alice.client, 'notified', doubler);
    const make = async (channel: string, path: string, on?: string[]) => {
      const res = await alice.client.post('/api/v1/notifications', {
        workflowId: wf,
        channel,
        url: `${receiver.url}${path}?token=s3cret`,
        ...(on ? { on } : {}),
      });
      expect(res.status).toBe(201);
      return res.body;
    };
    const slack = await make('slack', '/slack');
    const discord = await make('discord', '/discord');
    const generic = await make('generic', '/generic');
    const gone = await make('generic', '/gone', ['completed']);
    expect(slack).toMatchObject({ channel: 'slack', host: `127.0.0.1:${receiver.port}`, on: ['completed', 'failed'] });
    // The URL is a credential: never answered, stored sealed.
    expect(JSON.stringify(await alice.client.get(`/api/v1/notifications/${slack.id}`))).not.toContain('s3cret');
    const row = (await sql.query(`SELECT sealed_url FROM scheduler.notifications WHERE id = $1`, [slack.id])).rows[0];
    expect(row.sealed_url).toMatch(/^fsv1\./);
    expect(row.sealed_url).not.toContain('s3cret');

    const executionId = await run(wf, { n: 4 });
    const delivered = (id: string, status: string) =>
      waitFor(
        async () => {
          const res = await alice.client.get(`/api/v1/notifications/${id}/deliveries`);
          const d = res.body?.items?.[0];
          return d?.status === status ? d : undefined;
        },
        `notification ${id} ${status}`,
        30_000,
      );
    const slackDelivery = await delivered(slack.id, 'delivered');
    expect(slackDelivery).toMatchObject({ executionId, outcome: 'completed', nextAttemptAt: null });
    expect(slackDelivery.attempts.map((a: any) => a.status)).toEqual([503, 503, 200]);
    expect(slackDelivery.attempts[0].error).toContain('503');
    const goneDelivery = await delivered(gone.id, 'failed');
    expect(goneDelivery.attempts).toEqual([{ at: expect.any(String), status: 410, error: expect.stringContaining('410') }]);
    await delivered(discord.id, 'delivered');
    await delivered(generic.id, 'delivered');

    const bodies = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body));
    expect(bodies('/slack')[2]).toEqual({ text: expect.stringContaining(`Run ${executionId}`), blocks: expect.any(Array) });
    expect(bodies('/discord')).toEqual([{ content: expect.stringContaining('completed in') }]);
    expect(bodies('/generic')).toEqual([
      expect.objectContaining({ type: 'execution.completed', executionId, workflowId: wf, status: 'completed', error: null }),
    ]);
    // One delivery id per run and notification, the same on every attempt (receivers dedupe by it).
    const ids = new Set(receiver.received.filter((r) => r.path === '/slack').map((r) => r.headers['x-flowstack-delivery']));
    expect([...ids]).toEqual([slackDelivery.id]);

    expect((await bob.client.get(`/api/v1/notifications/${slack.id}/deliveries`)).status).toBe(404);
    const badUrl = await alice.client.post('/api/v1/notifications', {
      workflowId: wf,
      channel: 'slack',
      url: 'ftp://example.com/x',
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.errors[0].path).toBe('url');
  });

  it('takes a token instead of a signature, keeps the secret sealed, and rate limits each webhook', async () => {
    const wf = await createWorkflow(alice.client, 'hooked', echo);
    const created = await alice.client.post('/api/v1/webhooks', { workflowId: wf, auth: 'token' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ auth: 'token', secret: expect.stringMatching(/^whtok_/) });
    const { id, url, secret } = created.body;
    expect((await alice.client.get(`/api/v1/webhooks/${id}`)).body).not.toHaveProperty('secret');
    const stored = (await sql.query(`SELECT secret, sealed_secret FROM scheduler.webhooks WHERE id = $1`, [id])).rows[0];
    expect(stored.secret).toBeNull();
    expect(stored.sealed_secret).toMatch(/^fsv1\./);
    expect(stored.sealed_secret).not.toContain(secret.slice(6));

    const call = (headers: Record<string, string>) =>
      fetch(`${platform.baseUrl}${url}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"a":1}',
      });
    const ok = await call({ 'x-flowstack-token': secret });
    expect(ok.status).toBe(202);
    const started = (await ok.json()) as any;
    expect((await finished(started.executionId)).input).toEqual({ a: 1 });
    expect((await call({ 'x-flowstack-token': `${secret}x` })).status).toBe(401);
    expect((await call({})).status).toBe(401);
    // 5 per minute: three spent above; two more pass, the sixth is refused with Retry-After.
    expect((await call({ 'x-flowstack-token': secret })).status).toBe(202);
    expect((await call({ 'x-flowstack-token': secret })).status).toBe(202);
    const limited = await call({ 'x-flowstack-token': secret });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as any).code).toBe('rate_limited');
  });

  it("pauses a deleted workflow's schedules and disables its triggers and notifications", async () => {
    const wf = await createWorkflow(alice.client, 'doomed', echo);
    const other = await createWorkflow(alice.client, 'survivor', echo);
    const schedule = (await alice.client.post('/api/v1/schedules', { workflowId: wf, kind: 'interval', everySeconds: 10 })).body;
    const trigger = (await alice.client.post('/api/v1/triggers', { sourceWorkflowId: other, targetWorkflowId: wf })).body;
    const notification = (
      await alice.client.post('/api/v1/notifications', { workflowId: wf, channel: 'generic', url: `${receiver.url}/generic` })
    ).body;
    expect(schedule.enabled && trigger.enabled && notification.enabled).toBe(true);
    expect((await alice.client.delete(`/api/v1/workflows/${wf}`)).status).toBe(204);
    await waitFor(
      async () => ((await alice.client.get(`/api/v1/schedules/${schedule.id}`)).body.enabled === false ? true : undefined),
      'the schedule to be paused',
      15_000,
    );
    expect((await alice.client.get(`/api/v1/schedules/${schedule.id}`)).body.nextFireAt).toBeNull();
    expect((await alice.client.get(`/api/v1/triggers/${trigger.id}`)).body.enabled).toBe(false);
    expect((await alice.client.get(`/api/v1/notifications/${notification.id}`)).body.enabled).toBe(false);
    const audit = (await alice.client.get('/api/v1/audit?type=SchedulePaused')).body.items;
    expect(audit).toContainEqual(
      expect.objectContaining({
        stream: `schedule-${schedule.id}`,
        data: { scheduleId: schedule.id, reason: 'workflow_deleted' },
      }),
    );
  });

  it('misses no run end across the upgrade from the four-token consumers: the old one drained, the new one from the first new event', async () => {
    const source = await createWorkflow(alice.client, 'upgrade-source', doubler);
    const target = await createWorkflow(alice.client, 'upgrade-target', echo);
    const created = await alice.client.post('/api/v1/triggers', { sourceWorkflowId: source, targetWorkflowId: target });
    expect(created.status).toBe(201);
    const trigger = created.body.id;
    const ns = namespaceOf(platform.env.FLOWSTACK_NS);
    const stream = streamName(ns, 'EVENTS');
    const nc = await connect({ servers: TEST_NATS_URL, name: 'triggers-upgrade' });
    try {
      const jsm = await jetstreamManager(nc);
      await platform.services.get('scheduler')!.stop();
      // As the previous scheduler left it, still pulling while an upgraded orchestrator publishes
      // under the new subjects (so it skips them, and its ack floor would pass them).
      await jsm.consumers.delete(stream, 'scheduler-outcome-completed');
      await jsm.consumers.add(stream, {
        durable_name: 'scheduler-run-completed',
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: subject(ns, 'events.*.execution.ExecutionCompleted'),
      });
      const old = await jetstream(nc).consumers.get(stream, 'scheduler-run-completed');
      const pulling = old.fetch({ max_messages: 1, expires: 5_000 });
      const ranWhileAway = await run(source, { n: 4 });
      await finished(ranWhileAway);
      for await (const m of await pulling) m.ack();
      await platform.start('scheduler');

      const items = await historyOf(trigger, 1);
      expect(items.find((i: any) => i.sourceExecutionId === ranWhileAway)).toMatchObject({ result: 'started' });
      const names = await waitFor(
        async () => {
          const all: string[] = [];
          for await (const c of jsm.consumers.list(stream)) all.push(c.name);
          return all.includes('scheduler-run-completed') ? undefined : all;
        },
        'the old consumer deleted',
        30_000,
      );
      expect(names).toContain('scheduler-outcome-completed');
      // A run after the upgrade fires once, like any other.
      const after = await run(source, { n: 5 });
      const fired = await historyOf(trigger, 2);
      expect(fired.filter((i: any) => i.sourceExecutionId === after)).toHaveLength(1);
    } finally {
      await nc.close();
    }
  });

  it('records every trigger and notification change in the audit log', async () => {
    const res = await waitFor(
      async () => {
        const page = await alice.client.get('/api/v1/audit?limit=200');
        const types = new Set((page.body?.items ?? []).map((e: any) => e.type));
        return ['TriggerCreated', 'TriggerUpdated', 'TriggerDeleted', 'NotificationCreated', 'WebhookCreated'].every((t) =>
          types.has(t),
        )
          ? page
          : undefined;
      },
      'the audit events',
      10_000,
    );
    expect(JSON.stringify(res.body)).not.toContain('s3cret');
  });
});
