import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow } from './api-client';
import { buildWebIfStale, expectNoSeriousAxeViolations, launchBrowser } from './browser';

jest.setTimeout(150_000);

const OUT = join(__dirname, '..', '..', 'tmp', 'web-pages-e2e');
const STEP = 20_000;
const PASSWORD = 'correct horse battery';

const gated = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'review', type: 'human_gate', config: { prompt: 'Ship the release?' } },
    { id: 'shipped', type: 'output', config: { value: 'shipped' } },
    { id: 'stopped', type: 'output', config: { value: 'stopped' } },
  ],
  edges: [
    { from: 'in', to: 'review' },
    { from: 'review', to: 'shipped', when: 'approved' },
    { from: 'review', to: 'stopped', when: 'rejected' },
  ],
};
const hooked = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'out', type: 'output', config: { value: 'hooked' } },
  ],
  edges: [{ from: 'in', to: 'out' }],
};
const slow = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'wait', type: 'delay', config: { seconds: 600 } },
    { id: 'out', type: 'output', config: { value: 'late' } },
  ],
  edges: [
    { from: 'in', to: 'wait' },
    { from: 'wait', to: 'out' },
  ],
};

interface Person {
  email: string;
  token: string;
  userId: string;
}

/**
 * The web app's monitor actions and resource pages in a real browser against the real platform:
 * an admin approves a human gate with a comment while a viewer in a second browser watches the same
 * run (and is offered no buttons), an editor cancels a run, a viewer sees no edit controls, and
 * every list page renders from the API with no serious accessibility violation; a credential's
 * value and an API key's secret are never shown back. A webhook made on its page shows its secret
 * once, with a curl example that works as shown; its URL answers 202 to a call signed with it.
 */
describe('web app: monitor actions and resource pages', () => {
  let platform: TestPlatform;
  let api: ApiClient;
  let ada: Person;
  let bob: Person;
  let workspaceId: string;
  let adaBrowser: { context: BrowserContext; close: () => Promise<void> };
  let bobBrowser: { context: BrowserContext; close: () => Promise<void> };

  const register = async (label: string): Promise<Person & { workspaceId: string }> => {
    const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
    const res = await api.post('/api/v1/auth/register', { email, password: PASSWORD, name: label });
    expect(res.status).toBe(201);
    return { email, token: res.body.token, userId: res.body.user.id, workspaceId: res.body.workspace.id };
  };
  /** Opens the app signed in as `who` in `workspaceId` (the session the sign-in page would store). */
  const openAs = async (context: BrowserContext, who: Person, path: string): Promise<Page> => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: who.token, workspaceId, email: who.email });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}${path}`);
    return page;
  };
  const startRun = async (workflowId: string): Promise<string> => {
    const res = await api.as(ada.token).post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(res.status).toBe(202);
    return res.body.executionId;
  };

  beforeAll(async () => {
    buildWebIfStale();
    platform = await startPlatform({ label: 'webpages' });
    api = new ApiClient(platform.baseUrl);
    const admin = await register('ada');
    ada = admin;
    workspaceId = admin.workspaceId;
    bob = await register('bob');
    // Bob joins Ada's workspace as a viewer.
    const inv = await api
      .as(ada.token)
      .post(`/api/v1/workspaces/${workspaceId}/invitations`, { email: bob.email, role: 'viewer' });
    expect(inv.status).toBe(201);
    expect((await api.as(bob.token).post('/api/v1/invitations/accept', { token: inv.body.token })).status).toBe(200);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    [adaBrowser, bobBrowser] = await Promise.all([launchBrowser(STEP), launchBrowser(STEP)]);
  });

  afterAll(async () => {
    await adaBrowser?.close();
    await bobBrowser?.close();
    await platform?.stop();
  });

  it("approves a gate with a comment in one browser while a viewer's browser watches the same run", async () => {
    const workflowId = await createWorkflow(api.as(ada.token), 'Release', gated);
    const executionId = await startRun(workflowId);
    const adaPage = await openAs(adaBrowser.context, ada, `/executions/${executionId}`);
    const bobPage = await openAs(bobBrowser.context, bob, `/executions/${executionId}`);

    for (const page of [adaPage, bobPage]) {
      await page.locator('[data-testid="run-status"][data-status="awaiting_approval"]').waitFor();
      await page.getByTestId('gate-review').getByText('Ship the release?').waitFor();
    }
    // The viewer is told who may decide and offered no buttons (editors and admins decide by default).
    await bobPage.getByTestId('gate-review').getByText('Only a member with the Editor role or above may decide.').waitFor();
    expect(await bobPage.getByTestId('approve-review').count()).toBe(0);
    expect(await bobPage.getByTestId('cancel-run').count()).toBe(0);
    await adaPage.screenshot({ path: join(OUT, 'gate.png') });
    await expectNoSeriousAxeViolations(adaPage, 'gate', OUT);

    await adaPage.getByTestId('gate-comment-review').fill('looks good');
    await adaPage.getByTestId('approve-review').click();
    for (const page of [adaPage, bobPage]) {
      await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
      expect(await page.getByTestId('gate-review').count()).toBe(0);
      expect(await page.getByTestId('step-status-stopped').textContent()).toBe('Skipped');
      await page.getByRole('button', { name: 'review', exact: true }).click();
      expect(await page.getByTestId('decision-review').textContent()).toBe('Approved: looks good');
    }
    expect(JSON.parse((await bobPage.getByTestId('run-output').textContent())!)).toBe('shipped');
    // The server recorded the decision the browser made, by Ada.
    const view = await api.as(ada.token).get(`/api/v1/executions/${executionId}`);
    expect(JSON.stringify(view.body)).toContain('looks good');
  });

  it('cancels a running execution from the monitor', async () => {
    const workflowId = await createWorkflow(api.as(ada.token), 'Slow', slow);
    const executionId = await startRun(workflowId);
    const page = await openAs(adaBrowser.context, ada, `/executions/${executionId}`);
    await page.locator('[data-testid="run-status"][data-status="running"]').waitFor();
    await page.getByTestId('cancel-run').click();
    await page.locator('[data-testid="run-status"][data-status="cancelled"]').waitFor();
    expect(await page.getByTestId('step-status-wait').textContent()).toBe('Cancelled');
    expect(await page.getByTestId('cancel-run').count()).toBe(0);
    // The runs page lists it with its status; the filter narrows to it.
    await page.getByTestId('nav-executions').click();
    await page.getByTestId(`execution-${executionId}`).waitFor();
    await page.getByTestId('filter-status').selectOption('cancelled');
    await page.getByTestId(`execution-${executionId}`).waitFor();
    await page.getByTestId('filter-status').selectOption('completed');
    await page.getByTestId(`execution-${executionId}`).waitFor({ state: 'detached' });
  });

  it('shows a viewer no controls that change anything', async () => {
    const workflowId = await createWorkflow(api.as(ada.token), 'Read only', gated);
    const page = await openAs(bobBrowser.context, bob, '/workflows');
    await page.getByRole('link', { name: 'Read only' }).waitFor();
    expect(await page.getByRole('button', { name: 'New workflow' }).count()).toBe(0);
    await page.goto(`${platform.baseUrl}/workflows/${workflowId}`);
    await page.getByTestId('node-review').waitFor();
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await page.getByTestId('palette-input').count()).toBe(0);
    // Admin pages are not offered, and the server refuses them anyway.
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await page.getByTestId('nav-credentials').click();
    await page.getByRole('heading', { name: 'Credentials' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add credential' }).count()).toBe(0);
  });

  it('creates webhooks on their page, shows each secret once with a working curl example, and deletes one', async () => {
    const workflowId = await createWorkflow(api.as(ada.token), 'Hooked', hooked);
    const page = await openAs(adaBrowser.context, ada, '/workflows');
    await page.getByTestId('nav-webhooks').click();
    await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
    await page.getByTestId('webhooks-table-empty').waitFor();
    /** Creates one in the form and reads what is shown once: the secret, the URL, the curl example. */
    const create = async (auth: 'hmac' | 'token') => {
      // The last one's secret goes first, so what is read below is this one's.
      if ((await page.getByTestId('webhook-created').count()) > 0) {
        await page.getByRole('button', { name: 'Done' }).click();
        await page.getByTestId('webhook-created').waitFor({ state: 'detached' });
      }
      await page.getByTestId('webhook-workflow').selectOption({ label: 'Hooked' });
      await page.getByTestId('webhook-auth').selectOption(auth);
      await page.getByRole('button', { name: 'Create webhook' }).click();
      await page.getByTestId('webhook-created').waitFor();
      const shown = {
        secret: (await page.getByTestId('webhook-secret').textContent())!,
        url: (await page.getByTestId('webhook-created-url').textContent())!,
        example: (await page.getByTestId('webhook-example').textContent())!,
      };
      const id = shown.url.split('/hooks/')[1];
      await page.getByTestId(`webhook-${id}`).waitFor();
      return { ...shown, id };
    };
    /** Runs the page's curl example as a person would paste it: its answer is the run it started. */
    const runExample = (example: string): { executionId: string; status: string } => {
      const run = spawnSync('bash', ['-c', example], { encoding: 'utf8', timeout: 15_000 });
      expect(run.status).toBe(0);
      return JSON.parse(run.stdout);
    };

    const signed = await create('hmac');
    expect(signed.secret).toMatch(/^whsec_/);
    expect(signed.url).toBe(`${platform.baseUrl}/hooks/${signed.id}`);
    // The copy button puts the secret on the clipboard.
    await adaBrowser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.baseUrl });
    await page.getByTestId('copy-webhook-secret').click();
    await page.getByTestId('copy-webhook-secret').getByText('Copied').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(signed.secret);
    await page.screenshot({ path: join(OUT, 'webhook-created.png') });
    await expectNoSeriousAxeViolations(page, 'webhooks-created', OUT);
    // A call signed with the secret the page showed starts the workflow: 202 with the run.
    const body = JSON.stringify({ from: 'the test' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v1=${createHmac('sha256', signed.secret).update(`${timestamp}.${body}`).digest('hex')}`;
    const res = await fetch(signed.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flowstack-timestamp': timestamp, 'x-flowstack-signature': signature },
      body,
    });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const started = await api.as(ada.token).get(`/api/v1/executions/${executionId}`);
    expect([started.status, started.body.workflowId, started.body.input]).toEqual([200, workflowId, { from: 'the test' }]);
    // The curl example signs its own body with the same secret, and works as shown.
    expect(runExample(signed.example)).toEqual({ executionId: expect.any(String), status: expect.any(String) });

    const token = await create('token');
    expect(token.secret).toMatch(/^whtok_/);
    expect(token.example).toContain('x-flowstack-token');
    const byToken = runExample(token.example);
    expect((await api.as(ada.token).get(`/api/v1/executions/${byToken.executionId}`)).body.input).toEqual({ hello: 'world' });

    // Done: the secrets are gone from the page, and a reload lists both without them.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    const table = page.getByTestId('webhooks-table');
    await table.getByText(`${platform.baseUrl}/hooks/${signed.id}`).waitFor();
    await table.getByText(`${platform.baseUrl}/hooks/${token.id}`).waitFor();
    expect(await table.getByText('Secret token').count()).toBe(1);
    expect(await table.getByText('HMAC signature').count()).toBe(1);
    const html = await page.content();
    expect([html.includes(signed.secret), html.includes(token.secret)]).toEqual([false, false]);
    await expectNoSeriousAxeViolations(page, 'webhooks', OUT);

    // Disabled in the UI: a call signed with its secret answers 409; enabled again, it is accepted.
    const signedCall = (secret: string, payload: object) => {
      const raw = JSON.stringify(payload);
      const ts = String(Math.floor(Date.now() / 1000));
      return fetch(signed.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-flowstack-timestamp': ts,
          'x-flowstack-signature': `v1=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`,
        },
        body: raw,
      });
    };
    await page.getByTestId(`toggle-webhook-${signed.id}`).click();
    await page.getByTestId(`webhook-state-${signed.id}`).getByText('Disabled').waitFor();
    expect((await signedCall(signed.secret, { n: 1 })).status).toBe(409);
    await page.getByTestId(`toggle-webhook-${signed.id}`).click();
    await page.getByTestId(`webhook-state-${signed.id}`).getByText('Enabled').waitFor();
    expect((await signedCall(signed.secret, { n: 2 })).status).toBe(202);
    // Rotated (after a confirmation): the new secret is shown once, the old one is refused.
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId(`rotate-webhook-${signed.id}`).click();
    await page.getByTestId('webhook-created').waitFor();
    const rotated = (await page.getByTestId('webhook-secret').textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(signed.secret);
    expect((await signedCall(signed.secret, { n: 3 })).status).toBe(401);
    expect((await signedCall(rotated, { n: 3 })).status).toBe(202);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(rotated);

    // The viewer reads the same list and is offered no create, change or delete.
    const bobPage = await openAs(bobBrowser.context, bob, '/webhooks');
    await bobPage.getByTestId(`webhook-${signed.id}`).waitFor();
    expect(await bobPage.getByRole('button', { name: 'Create webhook' }).count()).toBe(0);
    await bobPage.getByTestId(`webhook-state-${signed.id}`).getByText('Enabled').waitFor();
    for (const name of ['Delete', 'Disable', 'Rotate secret'])
      expect(await bobPage.getByRole('button', { name }).count()).toBe(0);

    // Deleted in the UI: gone from the list, and its URL answers 404.
    await page.getByTestId(`delete-webhook-${token.id}`).click();
    await page.getByTestId(`webhook-${token.id}`).waitFor({ state: 'detached' });
    const gone = await fetch(token.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flowstack-token': token.secret },
      body: '{}',
    });
    expect(gone.status).toBe(404);
    await page.getByTestId(`webhook-${signed.id}`).waitFor();
  });

  it('renders every resource page from the API, keeps secrets write-only, with no serious axe violation', async () => {
    const page = await openAs(adaBrowser.context, ada, '/workflows');
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();

    // A credential: the value goes in once and is never on the page again.
    await page.getByTestId('nav-credentials').click();
    await page.getByTestId('credential-name').fill('openai');
    await page.getByTestId('credential-value').fill('sk-super-secret-value-123');
    await page.getByRole('button', { name: 'Add credential' }).click();
    await page.getByTestId('credentials-table').getByText('openai').waitFor();
    expect(await page.content()).not.toContain('sk-super-secret-value-123');

    // An API key: the secret is shown once, then only its prefix.
    await page.getByTestId('nav-api-keys').click();
    await page.getByTestId('api-key-name').fill('ci');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').textContent())!;
    expect(secret).toMatch(/^fsk_/);
    expect((await api.as(secret).get('/api/v1/workflows')).status).toBe(200);
    await page.reload();
    await page.getByTestId('api-keys-table').getByText('ci').waitFor();
    expect(await page.content()).not.toContain(secret);

    const pages: Array<[string, string]> = [
      ['executions', 'Runs'],
      ['agents', 'Agents'],
      ['tools', 'Tools'],
      ['credentials', 'Credentials'],
      ['schedules', 'Schedules'],
      ['webhooks', 'Webhooks'],
      ['credits', 'Credits'],
      ['members', 'Members'],
      ['api-keys', 'API keys'],
      ['audit', 'Audit log'],
    ];
    for (const [path, heading] of pages) {
      await page.getByTestId(`nav-${path}`).click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      expect(await page.getByRole('alert').count()).toBe(0);
      await expectNoSeriousAxeViolations(page, path, OUT);
    }
    // The members page lists both people with their roles; the audit log has Bob's joining.
    await page.getByTestId('nav-members').click();
    await page.getByTestId('members-table').getByText(bob.email).waitFor();
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').getByText('MemberJoined').first().waitFor();
    await page.screenshot({ path: join(OUT, 'audit.png') });
  });
});
