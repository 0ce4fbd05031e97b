import { createHmac } from 'node:crypto';
import { Pool } from 'pg';
import { startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type ApiResponse, type Tenant } from './api-client';

jest.setTimeout(120_000);

const graph = {
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'end', type: 'output', config: { value: 'hooked' } },
  ],
  edges: [{ from: 'start', to: 'end' }],
};

/** What a caller computes: `v1=` hex HMAC-SHA256 of `<timestamp>.<raw body>`. */
const sign = (secret: string, timestamp: number, body: string): string =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * Webhooks end to end: the secret is shown once, a signed call starts the workflow with its body
 * as input (202), a missing, malformed, stale, wrong or replayed signature is a 401 that starts
 * nothing, large bodies are 413s, and another workspace's webhook or workflow is a 404. The list
 * pages a workspace's live webhooks newest first, filters by workflow, never shows a secret or
 * another workspace's webhook, and answers a bad limit, cursor or workflowId with a 400 naming it.
 * PATCH disables a webhook (its calls answer 409 and start nothing), enables it again, and rotates
 * its secret (the new one answered once; the old one 401 from then on).
 */
describe('webhooks', () => {
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let workflowId: string;
  let hook: { id: string; url: string; secret: string };
  let sql: Pool;

  beforeAll(async () => {
    platform = await startPlatform({ label: 'webhooks' });
    const api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([registerTenant(api, 'hook-alice'), registerTenant(api, 'hook-bob')]);
    workflowId = await createWorkflow(alice.client, 'hooked', graph);
    sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    sql.on('error', () => undefined);
    const created = await alice.client.post('/api/v1/webhooks', { workflowId });
    expect(created.status).toBe(201);
    hook = created.body;
  });

  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
  });

  const webhookRuns = async (): Promise<number> =>
    Number(
      (
        await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM event_store.events WHERE type = 'ExecutionStarted' AND data->'trigger'->>'by' = $1`,
          [hook.id],
        )
      ).rows[0].n,
    );

  const call = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${platform.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  const signed = (body: string, secret = hook.secret, timestamp = Math.floor(Date.now() / 1000)) => ({
    'x-flowstack-timestamp': String(timestamp),
    'x-flowstack-signature': sign(secret, timestamp, body),
  });

  it('shows the secret once', async () => {
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.url).toBe(`/hooks/${hook.id}`);
    const got = await alice.client.get(`/api/v1/webhooks/${hook.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: hook.id,
      workflowId,
      version: 'latest',
      url: hook.url,
      auth: 'hmac',
      enabled: true,
      createdAt: expect.any(String),
    });
  });

  it('starts the workflow with the body as input, once per signature', async () => {
    const body = JSON.stringify({ order: 42, note: 'ünïcode' });
    const headers = signed(body);
    const res = await call(hook.url, body, headers);
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const run = await waitFor(async () => {
      const got = await alice.client.get(`/api/v1/executions/${executionId}`);
      return got.status === 200 && got.body.status === 'completed' && got.body;
    }, 'the hooked run');
    expect(run.input).toEqual({ order: 42, note: 'ünïcode' });
    const events = await alice.client.get(`/api/v1/executions/${executionId}/events`);
    expect(events.body.items[0].data.trigger).toEqual({ type: 'webhook', by: hook.id });
    const replay = await call(hook.url, body, headers);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { detail: string }).detail).toContain('replay');
    expect(await webhookRuns()).toBe(1);
  });

  it.each([
    ['no signature', () => ({})],
    [
      'a malformed signature',
      () => ({ 'x-flowstack-timestamp': String(Math.floor(Date.now() / 1000)), 'x-flowstack-signature': 'sha256=abc' }),
    ],
    ['a signature with the wrong secret', () => signed('{"a":1}', 'whsec_wrong')],
    ['a stale timestamp', () => signed('{"a":1}', hook.secret, Math.floor(Date.now() / 1000) - 400)],
    ['a signature of another body', () => signed('{"a":2}')],
  ])('refuses %s with 401 and starts nothing', async (_, headers) => {
    const before = await webhookRuns();
    const res = await call(hook.url, '{"a":1}', headers());
    expect(res.status).toBe(401);
    expect(await webhookRuns()).toBe(before);
  });

  it('refuses large bodies with 413', async () => {
    const huge = JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) });
    expect((await call(hook.url, huge, signed(huge))).status).toBe(413);
    const big = JSON.stringify({ pad: 'x'.repeat(300 * 1024) });
    expect((await call(hook.url, big, signed(big))).status).toBe(413);
  });

  it("answers 404 for another workspace's webhook and workflow, and for a deleted one", async () => {
    expect((await bob.client.get(`/api/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await bob.client.delete(`/api/v1/webhooks/${hook.id}`)).status).toBe(404);
    expect((await bob.client.post('/api/v1/webhooks', { workflowId })).status).toBe(404);
    expect((await call('/hooks/00000000-0000-4000-8000-000000000000', '{}', signed('{}'))).status).toBe(404);
    const other = await alice.client.post('/api/v1/webhooks', { workflowId });
    expect((await alice.client.delete(`/api/v1/webhooks/${other.body.id}`)).status).toBe(204);
    expect((await call(other.body.url, '{}', signed('{}', other.body.secret))).status).toBe(404);
  });

  it("lists a workspace's live webhooks newest first by cursor pages, by workflow, without secrets or another workspace's", async () => {
    const second = await createWorkflow(alice.client, 'hooked again', graph);
    const made: { id: string; secret: string }[] = [];
    for (const auth of ['hmac', 'token', 'hmac']) {
      const res = await alice.client.post('/api/v1/webhooks', { workflowId: second, auth });
      expect(res.status).toBe(201);
      made.push(res.body);
    }
    const gone = await alice.client.post('/api/v1/webhooks', { workflowId: second });
    expect((await alice.client.delete(`/api/v1/webhooks/${gone.body.id}`)).status).toBe(204);
    const theirs = await bob.client.post('/api/v1/webhooks', { workflowId: await createWorkflow(bob.client, 'bobs', graph) });
    expect(theirs.status).toBe(201);

    // Every page of two, followed by its cursor: each live webhook of Alice once, newest first.
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await alice.client.get(
        `/api/v1/webhooks?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor && seen.length < 50);
    const newestFirst = [...made].reverse().map((w) => w.id);
    // The earlier tests' live webhook is there too (the one they deleted is not).
    expect(seen.map((w) => w.id)).toEqual([...newestFirst, hook.id]);
    expect(seen[1]).toEqual({
      id: made[1].id,
      workflowId: second,
      version: 'latest',
      url: `/hooks/${made[1].id}`,
      auth: 'token',
      enabled: true,
      createdAt: expect.any(String),
    });
    const text = JSON.stringify(seen);
    for (const secret of [hook.secret, ...made.map((w) => w.secret), theirs.body.secret]) expect(text).not.toContain(secret);
    expect(text).not.toContain(theirs.body.id);
    expect(text).not.toContain(gone.body.id);

    // By workflow: one workflow's webhooks only; another workspace's workflow lists nothing.
    const ofSecond = await alice.client.get(`/api/v1/webhooks?workflowId=${second}`);
    expect(ofSecond.body).toEqual({ items: seen.slice(0, 3), nextCursor: null });
    const ofFirst = await alice.client.get(`/api/v1/webhooks?workflowId=${workflowId.toUpperCase()}&limit=1`);
    expect(ofFirst.body).toEqual({ items: [seen[3]], nextCursor: null });
    const ofBobs = await alice.client.get(`/api/v1/webhooks?workflowId=${theirs.body.workflowId}`);
    expect(ofBobs.body).toEqual({ items: [], nextCursor: null });
    const bobs = await bob.client.get('/api/v1/webhooks');
    expect(bobs.body.items.map((w: { id: string }) => w.id)).toEqual([theirs.body.id]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=two', 'limit'],
    ['cursor=abc', 'cursor'],
    ['workflowId=not-a-uuid', 'workflowId'],
  ])('answers a list with %s by a 400 problem naming %s', async (query, field) => {
    const res = await alice.client.get(`/api/v1/webhooks?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
  });

  it('disables and enables a webhook, and rotates its secret: shown once, the old one refused', async () => {
    const made = (await alice.client.post('/api/v1/webhooks', { workflowId })).body;
    const runs = async (): Promise<number> =>
      Number(
        (
          await sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM event_store.events WHERE type = 'ExecutionStarted' AND data->'trigger'->>'by' = $1`,
            [made.id],
          )
        ).rows[0].n,
      );
    const off = await alice.client.patch(`/api/v1/webhooks/${made.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ ...made, secret: undefined, enabled: false });
    expect('secret' in off.body).toBe(false);
    const refused = await call(made.url, '{"n":1}', signed('{"n":1}', made.secret));
    expect([refused.status, ((await refused.json()) as { code: string }).code]).toEqual([409, 'conflict']);
    // A stranger still learns nothing but 401: the state is told only past the signature.
    expect((await call(made.url, '{"n":1}', signed('{"n":1}', 'whsec_wrong'))).status).toBe(401);
    expect(await runs()).toBe(0);
    expect((await alice.client.patch(`/api/v1/webhooks/${made.id}`, { enabled: true })).body.enabled).toBe(true);
    expect((await call(made.url, '{"n":2}', signed('{"n":2}', made.secret))).status).toBe(202);

    const rotated = await alice.client.patch(`/api/v1/webhooks/${made.id}`, { rotateSecret: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.secret);
    expect((await call(made.url, '{"n":3}', signed('{"n":3}', made.secret))).status).toBe(401);
    expect((await call(made.url, '{"n":3}', signed('{"n":3}', rotated.body.secret))).status).toBe(202);
    const read = JSON.stringify([
      (await alice.client.get(`/api/v1/webhooks/${made.id}`)).body,
      (await alice.client.get('/api/v1/webhooks')).body,
    ]);
    expect(read).not.toContain(rotated.body.secret);
    expect(await runs()).toBe(2);
    // Each change is in the audit log, never with a secret.
    const audit = await sql.query<{ type: string; data: unknown }>(
      `SELECT type, data FROM event_store.events WHERE stream_id = $1 ORDER BY stream_position`,
      [`webhook-${made.id}`],
    );
    expect(audit.rows.map((r) => r.type)).toEqual(['WebhookCreated', 'WebhookUpdated', 'WebhookUpdated', 'WebhookSecretRotated']);
    expect(JSON.stringify(audit.rows)).not.toContain(rotated.body.secret);

    // Bad bodies name the field; another workspace's webhook is not there.
    for (const [body, field] of [
      [{}, ''],
      [{ enabled: 'yes' }, 'enabled'],
      [{ rotateSecret: false }, 'rotateSecret'],
      [{ auth: 'token' }, 'auth'],
    ] as const) {
      const res = await alice.client.patch(`/api/v1/webhooks/${made.id}`, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(JSON.stringify(res.body.errors)).toContain(field === '' ? 'nothing to update' : field);
    }
    expect((await bob.client.patch(`/api/v1/webhooks/${made.id}`, { enabled: false })).status).toBe(404);
    expect((await alice.client.get(`/api/v1/webhooks/${made.id}`)).body.enabled).toBe(true);
  });
});
