import { createHmac, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, watchExecution, watchWithAuthMessage, type ApiResponse } from './api-client';
import {
  KIND_OF_BODY_FIELD,
  KIND_OF_COLLECTION,
  PASSWORD,
  createTenant,
  secretsOf,
  slowGraph,
  type Kind,
  type Tenant,
} from './security-fixtures';

jest.setTimeout(120_000);

type Ids = Record<Kind, string>;
interface Operation {
  method: string;
  path: string;
  op: Record<string, any>;
  /** `{name}` and the kind of id it takes, outermost first. */
  params: { name: string; kind: Kind | undefined; collection: string }[];
  authenticated: boolean;
}

/** A graph whose tool node names a registered tool (after the 300 s delay: it never runs). */
const namingTool = (ids: Ids, u: string) => {
  const graph = slowGraph(u);
  return {
    ...graph,
    nodes: [...graph.nodes, { id: 'use', type: 'tool', config: { toolId: ids.tool } }],
    edges: [graph.edges[0], { from: 'wait', to: 'use' }, { from: 'use', to: 'done' }],
  };
};

/**
 * A valid body for each documented operation that takes one, built from the ids of the tenant it
 * points at (`ids`) and a fresh suffix: the tenancy check is reached only past validation. An
 * operation without an entry gets `{}`; if that answers 400 the suite fails naming it.
 */
const SAMPLE_BODIES: Record<string, (ids: Ids, u: string) => unknown> = {
  'POST /api/v1/auth/register': (_, u) => ({ email: `reg-${u}@example.com`, password: PASSWORD }),
  'POST /api/v1/workflows': (ids, u) => ({ name: `wf ${u}`, graph: namingTool(ids, u) }),
  'PUT /api/v1/workflows/{id}': (ids, u) => ({ name: `wf ${u}`, graph: namingTool(ids, u) }),
  'POST /api/v1/workflows/{id}/executions': () => ({ input: {} }),
  'POST /api/v1/executions/{id}/cancel': () => ({}),
  'POST /api/v1/executions/{id}/retry': () => ({}),
  'POST /api/v1/executions/{id}/fork': () => ({ fromNodeId: 'wait' }),
  'POST /api/v1/executions/{id}/approvals': () => ({ nodeId: 'wait', decision: 'approved' }),
  'POST /api/v1/credentials': (_, u) => ({ name: `cred_${u.replace(/-/g, '_')}`, kind: 'api_key', value: 'sk-sample' }),
  'PATCH /api/v1/credentials/{id}': (_, u) => ({ name: `cred_${u.replace(/-/g, '_')}` }),
  'POST /api/v1/agents': (ids, u) => ({
    name: `agent ${u}`,
    provider: 'openai',
    model: 'gpt-4o-mini',
    credentialId: ids.credential,
  }),
  'PATCH /api/v1/agents/{id}': (_, u) => ({ name: `agent ${u}` }),
  'POST /api/v1/agents/{id}/tools': (ids) => ({ toolId: ids.tool }),
  'POST /api/v1/agents/{id}/invoke': () => ({ messages: [{ role: 'user', content: 'hello' }] }),
  'POST /api/v1/tools': (_, u) => ({ name: `tool ${u}`, kind: 'builtin', config: { operation: 'noop' } }),
  'PATCH /api/v1/tools/{id}': (_, u) => ({ description: `tool ${u}` }),
  'POST /api/v1/workspaces': (_, u) => ({ name: `ws ${u}` }),
  'PATCH /api/v1/workspaces/{id}': (_, u) => ({ name: `ws ${u}` }),
  'PATCH /api/v1/workspaces/{id}/members/{userId}': () => ({ role: 'admin' }),
  'POST /api/v1/workspaces/{id}/invitations': (_, u) => ({ email: `inv-${u}@example.com`, role: 'viewer' }),
  'POST /api/v1/workspaces/{id}/api-keys': (_, u) => ({ name: `key ${u}`, role: 'viewer' }),
  'POST /api/v1/schedules': (ids) => ({ workflowId: ids.workflow, kind: 'cron', cron: '0 0 1 1 *', timezone: 'UTC' }),
  'PATCH /api/v1/schedules/{id}': () => ({ cron: '0 0 2 1 *' }),
  'POST /api/v1/webhooks': (ids) => ({ workflowId: ids.workflow }),
  // Enabling an enabled webhook: A's stays callable with the secret the fixtures hold.
  'PATCH /api/v1/webhooks/{id}': () => ({ enabled: true }),
  'POST /api/v1/triggers': (ids) => ({ sourceWorkflowId: ids.workflow, targetWorkflowId: ids.workflow }),
  'PATCH /api/v1/triggers/{id}': () => ({ enabled: false }),
  'POST /api/v1/notifications': (ids) => ({ workflowId: ids.workflow, channel: 'generic', url: 'https://example.com/hook' }),
  'PATCH /api/v1/notifications/{id}': () => ({ enabled: false }),
};

/**
 * How a caller authenticates on each public route with an id, given the tenant whose credential
 * it uses: the headers and body of the call. A new public id route must be given one here.
 */
const PUBLIC_ID_ROUTES: Record<string, (t: Tenant) => { headers: Record<string, string>; body: string }> = {
  'POST /hooks/{id}': (t) => {
    const body = JSON.stringify({ from: t.label });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = createHmac('sha256', t.webhookSecret).update(`${timestamp}.${body}`).digest('hex');
    return {
      headers: {
        'content-type': 'application/json',
        'x-flowstack-timestamp': String(timestamp),
        'x-flowstack-signature': `v1=${signature}`,
      },
      body,
    };
  },
};

/** Fields a client must never be able to set; each value is a sentinel found by a text search. */
const SENTINEL_ID = randomUUID();
/** An id of no resource, for the answers to compare with. */
const UNKNOWN_ID = randomUUID();
const SENTINEL_DATE = '2001-02-03T04:05:06.000Z';
const massFields = (b: Tenant) => ({
  workspaceId: b.ids.workspace,
  role: 'admin',
  ownerId: b.userId,
  createdAt: SENTINEL_DATE,
  id: SENTINEL_ID,
  isAdmin: true,
  createdBy: b.userId,
  keyVersion: 99,
});

/** Material no answer may carry: bcrypt hashes, sealed values, stack frames. */
const FORBIDDEN_PATTERNS: [string, RegExp][] = [
  ['a bcrypt hash', /\$2[aby]\$\d\d\$/],
  ['a sealed credential value', /fsv1\./],
  ['a stack trace', /at Object\.|\n\s+at |\s{4}at [\w.<>]+ \(/],
  ['a hash column', /password_?hash|key_?hash|sealed_?value/i],
];

/**
 * The security suite, tenancy half (issue 11), on the whole platform: every id route of the OpenAPI
 * document tried by workspace B (token and API key) on workspace A's ids answers 404 with nothing
 * of A in it, as does the live socket; mass-assigned fields in every documented body change
 * nothing; and no answer of any documented GET (or any answer this file saw) serializes a hash,
 * a sealed value, a secret of the platform or a stack trace.
 */
describe('security suite: tenant isolation, mass assignment, response allowlist', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let sql: Pool;
  let doc: any;
  let ops: Operation[];
  let a: Tenant;
  let b: Tenant;
  /** Every answer this file received, as text, for the allowlist walk. */
  const seen: { label: string; text: string }[] = [];

  const send = async (client: ApiClient, method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const res = await client.call(method, path, body);
    seen.push({ label: `${method} ${path}`, text: JSON.stringify(res.body ?? null) });
    return res;
  };
  const fill = (o: Operation, pick: (kind: Kind, index: number) => string): string => {
    let i = 0;
    return o.path.replace(/\{(\w+)\}/g, () => {
      const p = o.params[i];
      return encodeURIComponent(pick(p.kind as Kind, i++));
    });
  };
  const bodyFor = (o: Operation, ids: Ids): unknown => {
    if (!o.op.requestBody) return ['POST', 'PUT', 'PATCH'].includes(o.method) ? {} : undefined;
    const sample = SAMPLE_BODIES[`${o.method} ${o.path}`];
    return sample ? sample(ids, randomUUID().slice(0, 8)) : {};
  };
  /** The strings of A in `text` that the caller did not send itself (a problem's `instance` echoes the URL). */
  const leaksOf = (text: string, sent: string, of: Tenant): string[] =>
    secretsOf(of).filter((s) => text.includes(s) && !sent.includes(s));

  beforeAll(async () => {
    platform = await startPlatform({
      label: 'secsuite',
      serviceEnv: { gateway: { GATEWAY_API_KEY_RATE_POINTS: '100000' } },
    });
    api = new ApiClient(platform.baseUrl);
    sql = new Pool({ connectionString: platform.env.DATABASE_URL, max: 1 });
    doc = (await api.get('/api/docs/openapi.json')).body;
    [a, b] = await Promise.all([createTenant(api, 'tenanta'), createTenant(api, 'tenantb')]);
    ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const segments = path.split('/');
        const params = segments.flatMap((s, i) => {
          const m = /^\{(\w+)\}$/.exec(s);
          return m ? [{ name: m[1], collection: segments[i - 1], kind: KIND_OF_COLLECTION[segments[i - 1]] }] : [];
        });
        return { method: method.toUpperCase(), path, op, params, authenticated: op['x-flowstack-min-role'] !== undefined };
      }),
    );
  });
  afterAll(async () => {
    await sql?.end();
    await platform?.stop();
  });

  it('knows the kind of every path parameter and body id field of the document', () => {
    const unknown = ops.flatMap((o) =>
      o.params.filter((p) => !p.kind).map((p) => `${o.method} ${o.path}: {${p.name}} after /${p.collection}/`),
    );
    const bodyIds = ops.flatMap((o) => {
      const props = Object.keys(propertiesOf(doc, o.op.requestBody?.content?.['application/json']?.schema));
      return props.filter((f) => /Id$/.test(f) && !KIND_OF_BODY_FIELD[f]).map((f) => `${o.method} ${o.path}: body field ${f}`);
    });
    // A new route or body field naming an id must be given its kind in security-fixtures.ts.
    expect([...unknown, ...bodyIds]).toEqual([]);
    expect(ops.filter((o) => o.params.length > 0).length).toBeGreaterThan(30);
  });

  it("answers B's token and B's API key on every id route, every method, with 404 and nothing of A", async () => {
    // The control: every GET of A's ids answers A (so the 404s below are not ids that do not exist).
    const gets = ops.filter((o) => o.method === 'GET' && o.params.length > 0 && o.authenticated);
    const own = await Promise.all(
      gets.map((o) =>
        send(
          a.client,
          'GET',
          fill(o, (k) => a.ids[k]),
        ),
      ),
    );
    expect(gets.map((o, i) => `${o.path} ${own[i].status}`)).toEqual(gets.map((o) => `${o.path} 200`));

    const principals: [string, ApiClient][] = [
      ['B token', api.as(b.token)],
      ['B API key', api.as(b.key)],
      ['B token + X-Workspace-Id A', api.as(b.token, a.ids.workspace)],
    ];
    const probes: {
      label: string;
      client: ApiClient;
      method: string;
      url: string;
      body: unknown;
      byBody: boolean;
      own?: unknown;
    }[] = [];
    for (const o of ops.filter((x) => x.authenticated)) {
      const aBody = bodyFor(o, a.ids);
      // All of A's ids, and B's own ids outside with A's inside (B's agent with A's tool, ...).
      const urls = new Set<string>();
      for (let split = 0; split < o.params.length; split++) {
        const url = fill(o, (k, i) => (i < split ? b.ids[k] : a.ids[k]));
        if (url !== fill(o, (k) => b.ids[k])) urls.add(url);
      }
      for (const url of urls) {
        for (const [who, client] of principals) {
          if (who.includes('X-Workspace-Id') && url.includes(b.ids.workspace)) continue;
          probes.push({
            label: `${o.method} ${o.path} as ${who} (${url})`,
            client,
            method: o.method,
            url,
            body: aBody,
            byBody: false,
          });
        }
      }
      // B's own route with a body naming A's resources (B's schedule of A's workflow, B's graph of A's tool).
      if (secretsOf(a).some((s) => JSON.stringify(aBody ?? null).includes(s))) {
        const url = fill(o, (k) => b.ids[k]);
        for (const [who, client] of principals.slice(0, 2)) {
          probes.push({
            label: `${o.method} ${o.path} as ${who} with A's ids in the body`,
            client,
            method: o.method,
            url,
            body: aBody,
            byBody: true,
            own: bodyFor(o, b.ids),
          });
        }
      }
    }
    console.log(`tenancy matrix: ${probes.length} probes (${probes.filter((p) => p.byBody).length} by body reference)`);
    expect(probes.length).toBeGreaterThan(100);
    expect(probes.filter((p) => p.byBody).length).toBeGreaterThan(3);
    const failures: string[] = [];
    const queue = [...probes];
    const unknownIds = (body: unknown) =>
      JSON.parse(secretsOf(a).reduce((text, s) => text.split(s).join(UNKNOWN_ID), JSON.stringify(body)));
    const anyId = (text: string) => [...secretsOf(a), UNKNOWN_ID].reduce((t, s) => t.split(s).join('<id>'), text);
    const shape = (r: ApiResponse) => anyId(JSON.stringify([r.status, r.body?.code, r.body?.detail, r.body?.errors]));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let p = queue.shift(); p; p = queue.shift()) {
          const res = await send(p.client, p.method, p.url, p.body);
          const text = JSON.stringify(res.body ?? null);
          const leaks = leaksOf(text, p.url + JSON.stringify(p.body ?? null), a);
          if (leaks.length) failures.push(`${p.label}: leaks ${leaks.join(', ')}`);
          if (p.byBody) {
            // Naming A's resource in a body answers exactly as naming one that does not exist.
            const unknown = await send(p.client, p.method, p.url, unknownIds(p.body));
            if (res.status < 400 || shape(res) !== shape(unknown)) {
              failures.push(`${p.label}: ${shape(res)} but an unknown id: ${shape(unknown)}`);
            }
            // The control: the same body naming B's own resources is accepted (or already done).
            const control = await send(p.client, p.method, p.url, p.own);
            if (!(control.status < 300 || control.status === 409)) {
              failures.push(`${p.label}: the control with B's ids answered ${control.status} ${JSON.stringify(control.body)}`);
            }
          } else if (res.status === 400) {
            failures.push(`${p.label}: 400 (is its sample body valid? add one to SAMPLE_BODIES) ${text}`);
          } else if (res.status !== 404 || !res.headers.get('content-type')?.includes('application/problem+json')) {
            failures.push(`${p.label}: ${res.status} ${text}`);
          }
        }
      }),
    );
    expect(failures).toEqual([]);

    // Nothing of A changed: every GET answers A as before.
    const after = await Promise.all(
      gets.map((o) =>
        send(
          a.client,
          'GET',
          fill(o, (k) => a.ids[k]),
        ),
      ),
    );
    expect(gets.map((o, i) => `${o.path} ${after[i].status}`)).toEqual(gets.map((o) => `${o.path} 200`));
    expect((await send(a.client, 'GET', `/api/v1/executions/${a.ids.execution}`)).body.status).toBe('running');
    // And B's own lists hold nothing of A.
    for (const o of ops.filter((x) => x.method === 'GET' && x.params.length === 0 && x.authenticated)) {
      const res = await send(api.as(b.token), 'GET', o.path);
      expect([o.path, res.status, leaksOf(JSON.stringify(res.body ?? null), '', a)]).toEqual([o.path, 200, []]);
    }
  });

  it("refuses B's own credentials on the public id routes (B's webhook signature on A's webhook)", async () => {
    const publicOps = ops.filter((o) => !o.authenticated && o.params.length > 0);
    expect(publicOps.map((o) => `${o.method} ${o.path}`).filter((k) => !PUBLIC_ID_ROUTES[k])).toEqual([]);
    expect(publicOps.length).toBeGreaterThan(0);
    for (const o of publicOps) {
      const call = (url: string, t: Tenant, extra: Record<string, string> = {}) => {
        const { headers, body } = PUBLIC_ID_ROUTES[`${o.method} ${o.path}`](t);
        return fetch(`${platform.baseUrl}${url}`, { method: o.method, headers: { ...headers, ...extra }, body });
      };
      const url = fill(o, (k) => a.ids[k]);
      // The control: A's own credential is accepted there.
      expect([url, (await call(url, a)).status]).toEqual([url, o.op.responses?.['202'] ? 202 : 200]);
      for (const res of [await call(url, b), await call(url, b, { authorization: `Bearer ${b.token}` })]) {
        const text = await res.text();
        seen.push({ label: `${o.method} ${url} as B`, text });
        expect([url, res.status, res.headers.get('content-type')]).toEqual([
          url,
          401,
          expect.stringContaining('application/problem+json'),
        ]);
        expect(leaksOf(text, url, a)).toEqual([]);
      }
    }
  });

  it("refuses B an invitation of A's addressed to another email (accept and decline), and it stays pending", async () => {
    for (const action of ['accept', 'decline']) {
      const res = await send(api.as(b.token), 'POST', `/api/v1/invitations/${action}`, { token: a.invitationToken });
      expect([action, res.status, res.headers.get('content-type')]).toEqual([
        action,
        expect.any(Number),
        expect.stringContaining('application/problem+json'),
      ]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(leaksOf(JSON.stringify(res.body), a.invitationToken, a)).toEqual([]);
    }
    expect((await send(api.as(b.token), 'GET', '/api/v1/workspaces')).body.items.map((w: { id: string }) => w.id)).toEqual([
      b.ids.workspace,
    ]);
    const pending = await send(a.client, 'GET', `/api/v1/workspaces/${a.ids.workspace}/invitations`);
    expect(pending.body.items.map((i: { id: string }) => i.id)).toContain(a.ids.invitation);
  });

  it("refuses B's token and B's API key on A's execution socket: 404 at the upgrade, 4404 after an auth message", async () => {
    const mine = await watchExecution(platform.wsUrl, a.ids.execution, a.token);
    mine.socket.close();
    for (const credential of [b.token, b.key]) {
      await expect(watchExecution(platform.wsUrl, a.ids.execution, credential)).rejects.toMatchObject({ status: 404 });
      await expect(
        watchExecution(platform.wsUrl, a.ids.execution, credential, `?workspaceId=${a.ids.workspace}`),
      ).rejects.toMatchObject({
        status: 404,
      });
      const run = await watchWithAuthMessage(platform.wsUrl, a.ids.execution, credential);
      expect(await run.closed).toBe(4404);
      expect(run.messages).toEqual([{ type: 'error', code: 'not_found', message: expect.any(String) }]);
      expect(leaksOf(JSON.stringify(run.messages), a.ids.execution, a)).toEqual([]);
    }
  });

  it('ignores workspaceId, role, ownerId, createdAt, id, isAdmin, createdBy and keyVersion in every documented body', async () => {
    // An invitation for A from a third workspace, for the accept and decline bodies.
    const c = await createTenant(api, 'tenantc');
    const inv = await send(c.client, 'POST', `/api/v1/workspaces/${c.ids.workspace}/invitations`, {
      email: a.email,
      role: 'viewer',
    });
    expect(inv.status).toBe(201);
    SAMPLE_BODIES['POST /api/v1/invitations/accept'] = () => ({ token: inv.body.token });
    SAMPLE_BODIES['POST /api/v1/invitations/decline'] = () => ({ token: inv.body.token });

    const injected = massFields(b);
    // POST /workspaces below makes A a member of several: name A's own from then on.
    const asA = api.as(a.token, a.ids.workspace);
    const withBodies = ops.filter((o) => o.op.requestBody && !['POST /api/v1/auth/login'].includes(`${o.method} ${o.path}`));
    expect(withBodies.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let accepted = 0;
    for (const o of withBodies) {
      const declared = Object.keys(propertiesOf(doc, o.op.requestBody.content?.['application/json']?.schema));
      const extra = Object.fromEntries(Object.entries(injected).filter(([f]) => !declared.includes(f)));
      const url = fill(o, (k) => a.ids[k]);
      const body = { ...(bodyFor(o, a.ids) as object), ...extra };
      const client = o.authenticated ? asA : api;
      const res = await send(client, o.method, url, body);
      const label = `${o.method} ${o.path} ${res.status}`;
      if (res.status >= 500) failures.push(`${label}: ${JSON.stringify(res.body)}`);
      if (res.status === 400) {
        // A strict schema refuses the unknown field by name: nothing was assigned.
        const named = (f: string) =>
          (res.body?.errors ?? []).some((e: { path: string; message: string }) => e.path === f || e.message.includes(`"${f}"`));
        if (!Object.keys(extra).every(named)) {
          failures.push(`${label}: refused for another reason ${JSON.stringify(res.body)}`);
        }
        continue;
      }
      if (res.status >= 300) continue;
      accepted++;
      const reads = [res];
      const id = typeof res.body?.id === 'string' ? res.body.id : undefined;
      const readPath = o.method === 'POST' && id ? `${url}/${id}` : url;
      if (
        ops.some(
          (g) => g.method === 'GET' && g.path === (o.method === 'POST' && id ? `${o.path}/{id}` : o.path) && g.params.length,
        )
      ) {
        reads.push(await send(asA, 'GET', readPath));
      }
      for (const r of reads) {
        const text = JSON.stringify(r.body ?? null);
        const assigned = Object.entries(extra)
          .filter(([f, v]) => (typeof v === 'string' && f !== 'role' ? text.includes(v) : r.body?.[f] === v && f !== 'role'))
          .map(([f]) => f);
        if (assigned.length) failures.push(`${label}: ${assigned.join(', ')} assigned: ${text}`);
        if (r.body?.workspaceId !== undefined && r.body.workspaceId !== a.ids.workspace) {
          failures.push(`${label}: landed in workspace ${r.body.workspaceId}`);
        }
      }
    }
    console.log(
      `mass assignment: ${withBodies.length} bodies, ${accepted} accepted (fields ignored), the rest refused naming them`,
    );
    expect(failures).toEqual([]);
    expect(accepted).toBeGreaterThan(5);
    // Roles, re-read: A is a viewer where it was invited as one, B gained nothing.
    const mine = (await send(asA, 'GET', '/api/v1/workspaces')).body.items as { id: string; role: string }[];
    expect(mine.find((w) => w.id === c.ids.workspace)?.role).toBe('viewer');
    expect(mine.find((w) => w.id === a.ids.workspace)?.role).toBe('admin');
    const theirs = (await send(api.as(b.token), 'GET', '/api/v1/workspaces')).body.items as { id: string }[];
    expect(theirs.map((w) => w.id)).toEqual([b.ids.workspace]);
  });

  it("never serializes a password hash, key hash, sealed value, the platform's secrets or a stack trace", async () => {
    // Answers of errors too: a malformed body, a wrong type, an unknown route.
    const asA = api.as(a.token, a.ids.workspace);
    await send(asA, 'POST', '/api/v1/workflows', { name: 42, graph: 'x' });
    await send(asA, 'GET', '/api/v1/executions/%E0%A4%A');
    const broken = await asA.call('POST', '/api/v1/workflows', undefined, '{"name":');
    seen.push({ label: 'malformed JSON', text: JSON.stringify(broken.body) });
    // Every GET of the document, as each tenant on its own ids (lists included).
    for (const t of [a, b]) {
      for (const o of ops.filter((x) => x.method === 'GET')) {
        const url = fill(o, (k) => t.ids[k]);
        if (o.op.responses?.['200']?.content?.['application/json'] || !o.authenticated) {
          const res = await fetch(`${platform.baseUrl}${url}`, {
            headers: o.authenticated ? { authorization: `Bearer ${t.token}`, 'x-workspace-id': t.ids.workspace } : {},
          });
          const text = await res.text();
          seen.push({ label: `GET ${url}`, text });
          if (o.authenticated) expect([url, res.status]).toEqual([url, 200]);
        }
      }
    }
    const { rows: keys } = await sql.query<{ h: string }>('select key_hash as h from identity.api_keys');
    const { rows: pwd } = await sql.query<{ h: string }>('select password_hash as h from identity.users');
    expect(keys.length).toBeGreaterThan(1);
    const secrets: [string, string][] = [
      ['JWT_SECRET', platform.env.JWT_SECRET],
      ['the master key', platform.env.FLOWSTACK_MASTER_KEY.replace(/^v1:/, '')],
      ["A's credential value", a.secret],
      ["B's credential value", b.secret],
      ...keys.map((r): [string, string] => ['an API key hash', r.h]),
      ...pwd.map((r): [string, string] => ['a password hash', r.h]),
    ];
    const found = seen.flatMap(({ label, text }) => [
      ...FORBIDDEN_PATTERNS.filter(([, re]) => re.test(text)).map(([what]) => `${label}: ${what}`),
      ...secrets.filter(([, s]) => text.includes(s)).map(([what]) => `${label}: ${what}`),
    ]);
    console.log(`response allowlist: ${seen.length} answers walked`);
    expect(seen.length).toBeGreaterThan(200);
    expect(found).toEqual([]);
    // B's lists, after everything above, hold nothing of A.
    for (const o of ops.filter((x) => x.method === 'GET' && x.params.length === 0 && x.authenticated)) {
      const res = await send(api.as(b.token), 'GET', o.path);
      expect([o.path, leaksOf(JSON.stringify(res.body ?? null), '', a)]).toEqual([o.path, []]);
    }
  });
});

/** The property names of a request body schema, through `$ref`, `allOf`, `oneOf` and `anyOf`. */
function propertiesOf(doc: any, schema: any, depth = 0): Record<string, unknown> {
  if (!schema || depth > 8) return {};
  if (schema.$ref) {
    const target = (schema.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce((node: any, key) => node?.[key], doc);
    return propertiesOf(doc, target, depth + 1);
  }
  return Object.assign(
    {},
    schema.properties ?? {},
    ...['allOf', 'oneOf', 'anyOf'].flatMap((k) => (schema[k] ?? []).map((s: any) => propertiesOf(doc, s, depth + 1))),
  );
}
