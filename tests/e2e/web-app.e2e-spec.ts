import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildWebIfStale, expectNoSeriousAxeViolations, launchBrowser } from './browser';
import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';

jest.setTimeout(150_000);

const ROOT = join(__dirname, '..', '..');
/** Screenshots and axe reports of this run (gitignored); `WEB_SCREENSHOTS_TO_DOCS=1` also refreshes docs/screenshots. */
const OUT = join(ROOT, 'tmp', 'web-e2e');
/** Generous per-step deadline: a loaded 2-core machine, but every wait is on a condition. */
const STEP = 20_000;

/**
 * The web app in a real browser against the real platform: register, build input -> http -> condition
 * -> two outputs by drag and drop, see the server's validation error land on the node it names, save,
 * run, watch the nodes turn green live over the WebSocket, read the output; axe finds no serious or
 * critical violation on the designer and the monitor. Also checks that the gateway serves the app
 * without shadowing the API, and that the committed API types are what the served document generates.
 */
describe('web app', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let context: BrowserContext;
  let page: Page;
  let closeBrowser: () => Promise<void> = () => Promise.resolve();
  let releaseWeather: () => void = () => undefined;
  const weatherGate = new Promise<void>((resolve) => (releaseWeather = resolve));

  beforeAll(async () => {
    // Builds apps/web once when its build is missing or older than its sources (a fresh clone).
    buildWebIfStale();
    // The tool's answer waits until the test has seen the node running in the browser.
    target = await new HttpTarget()
      .route('GET', '/weather', async () => {
        await weatherGate;
        return { json: { city: 'Seoul', temp: 31 } };
      })
      .start();
    [platform] = await Promise.all([startPlatform({ label: 'web' })]);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    ({ context, close: closeBrowser } = await launchBrowser(STEP));
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    releaseWeather();
    await closeBrowser();
    await target?.stop();
    await platform?.stop();
  });

  it('serves the app at / without shadowing the API, docs, metrics or WebSocket paths', async () => {
    const html = await fetch(`${platform.baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await html.text();
    expect(page).toContain('<div id="root">');
    const asset = page.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    const js = await fetch(`${platform.baseUrl}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toContain('immutable');
    // The initial JS, as the issue asks it reported (target: under 500 kB gzip).
    const bundle = Buffer.from(await js.arrayBuffer());
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.log(`web bundle: initial JS ${bundle.length} bytes, ${gzipped} bytes gzip`);
    expect(gzipped).toBeLessThan(500_000);

    const deepLink = await fetch(`${platform.baseUrl}/workflows/wf_123`, { headers: { accept: 'text/html' } });
    expect(await deepLink.text()).toBe(page);
    for (const path of ['/api/v1/nope', '/api/nope', '/api/v1/workflows/x/nope']) {
      const res = await fetch(`${platform.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 404, 'application/problem+json; charset=utf-8']);
    }
    const missingAsset = await fetch(`${platform.baseUrl}/assets/missing.js`);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.headers.get('content-type')).toMatch(/problem\+json/);
    const posted = await fetch(`${platform.baseUrl}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(posted.status).toBe(404);
    expect((await fetch(`${platform.baseUrl}/metrics`)).headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await fetch(`${platform.baseUrl}/api/v1/health/liveness`)).status).toBe(200);
    const ws = await fetch(`${platform.baseUrl}/ws/executions/x`, { headers: { accept: 'text/html' } });
    expect(ws.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('has API types that are what the served OpenAPI document generates', () => {
    // On a failure: `npm run gen:web-api` and commit apps/web/src/api/schema.d.ts.
    const check = spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'tools', 'web-api-types.ts'), '--check', '--from', platform.baseUrl],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (check.status !== 0) throw new Error(`web API types check failed (${check.status}): ${check.stderr}`);
    expect(check.stdout).toContain('web API types are current');
  });

  it('registers, designs by drag and drop, shows a server validation error on its node, saves, runs and watches it live', async () => {
    const t0 = Date.now();
    try {
      await designAndRun();
    } catch (e) {
      await page.screenshot({ path: join(OUT, 'failure.png') }).catch(() => undefined);
      throw e;
    }
    console.log(`web e2e: browser steps took ${Date.now() - t0} ms`);
  });

  async function designAndRun(): Promise<void> {
    const email = `web-${randomUUID()}@example.com`;
    await page.goto(`${platform.baseUrl}/`);
    await page.getByRole('button', { name: 'No account yet? Create one' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();

    // The language switches, every string from the catalogue.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await page.getByRole('heading', { name: '워크플로' }).waitFor();
    await page.getByRole('combobox', { name: '언어' }).selectOption('en');
    await page.getByRole('button', { name: 'New workflow' }).click();

    // Drag each node type from the palette onto the canvas.
    const canvas = page.getByTestId('canvas');
    const box = (await canvas.boundingBox())!;
    const drop = async (kind: string, x: number, y: number, id: string): Promise<void> => {
      await page.getByTestId(`palette-${kind}`).dragTo(canvas, { targetPosition: { x, y } });
      await page.getByTestId(`node-${id}`).waitFor();
    };
    await drop('input', 80, box.height / 2, 'input');
    await drop('tool', 300, box.height / 2, 'tool');
    await drop('condition', 520, box.height / 2, 'condition');
    await drop('output', 730, box.height / 2 - 120, 'output');
    await drop('output', 730, box.height / 2 + 120, 'output_2');

    // Connect handle to handle with the mouse; edges out of the condition get `true`, then `false`.
    const connect = async (from: string, to: string): Promise<void> => {
      const before = await page.locator('.react-flow__edge').count();
      await dragBetween(
        page,
        page.locator(`[data-testid="node-${from}"] .react-flow__handle.source`),
        page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`),
      );
      await waitFor(async () => (await page.locator('.react-flow__edge').count()) === before + 1, `edge ${from} -> ${to}`, STEP);
    };
    await connect('input', 'tool');
    await connect('tool', 'condition');
    await connect('condition', 'output');
    await connect('condition', 'output_2');
    await page.locator('.react-flow__edge-text', { hasText: 'true' }).waitFor();
    await page.locator('.react-flow__edge-text', { hasText: 'false' }).waitFor();

    // Configure: the tool calls the local target; the condition is broken on purpose first.
    await page.getByTestId('node-tool').click();
    await page.getByLabel('URL').fill(`${target.url}/weather?city={{ input.city }}`);
    await page.getByTestId('node-condition').click();
    await page.getByLabel('Expression (JSONata)').fill('nodes.tool.output.body.temp >');
    await page.getByTestId('node-output').click();
    await setJson(
      page.getByLabel('Value (JSON; strings are templates)'),
      '{ "hot": "{{ nodes.tool.output.body.city }}", "temp": "{{ nodes.tool.output.body.temp }}" }',
    );
    await page.getByTestId('node-output_2').click();
    await setJson(page.getByLabel('Value (JSON; strings are templates)'), '"mild"');
    await page.getByLabel('Workflow name').fill('Weather check');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const issues = page.getByTestId('issues-condition');
    await issues.waitFor();
    expect(await issues.textContent()).toMatch(/does not compile/);
    expect(await page.getByTestId('node-condition').getAttribute('data-invalid')).toBe('true');
    for (const id of ['input', 'tool', 'output', 'output_2'])
      expect(await page.getByTestId(`node-${id}`).getAttribute('data-invalid')).toBeNull();

    // Delete, undo and redo act on the design: a stray node goes, comes back, and goes again.
    await drop('transform', 300, box.height / 2 + 200, 'transform');
    await page.getByTestId('node-transform').click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('node-transform').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('node-transform').waitFor();
    await page.getByRole('button', { name: 'Redo' }).click();
    await page.getByTestId('node-transform').waitFor({ state: 'detached' });
    // The output values survived all that.
    await page.getByTestId('node-output_2').click();
    expect(await page.getByLabel('Value (JSON; strings are templates)').inputValue()).toBe('"mild"');
    await page.getByTestId('node-condition').click();
    await page.getByLabel('Expression (JSONata)').fill('nodes.tool.output.body.temp > 25');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('designer-message').filter({ hasText: 'Saved as version 1' }).waitFor();
    await waitFor(async () => (await page.locator('[data-invalid]').count()) === 0, 'issues cleared after a valid save', STEP);
    await page.getByTestId('node-tool').click(); // the screenshot shows a config form
    await page.screenshot({ path: join(OUT, 'designer.png') });
    await expectNoSeriousAxeViolations(page, 'designer', OUT);

    // Run with an input, then watch the monitor: the tool shows running until its answer is released.
    await page.getByRole('button', { name: 'Run…' }).click();
    await setJson(page.getByLabel('Run input (JSON)'), '{ "city": "Seoul" }');
    await page.getByTestId('start-run').click();
    await page.getByRole('heading', { name: 'Run', exact: true }).waitFor();
    const status = (id: string) => page.getByTestId(`node-${id}`).getAttribute('data-status');
    await waitFor(async () => (await status('tool')) === 'running', 'the tool node running', STEP);
    expect(await status('input')).toBe('completed');
    expect(await status('condition')).toBe('pending');
    releaseWeather();
    await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
    for (const id of ['input', 'tool', 'condition', 'output']) expect([id, await status(id)]).toEqual([id, 'completed']);
    expect(await status('output_2')).toBe('skipped');
    expect(await page.locator('.flow-node.status-completed').count()).toBe(4);
    expect(JSON.parse((await page.getByTestId('run-output').textContent())!)).toEqual({ hot: 'Seoul', temp: 31 });
    expect(await page.getByTestId('total-cost').textContent()).toBe('0');
    await page.getByRole('button', { name: 'tool', exact: true }).click();
    expect(JSON.parse((await page.getByTestId('selected-node-output').textContent())!)).toMatchObject({
      status: 200,
      body: { temp: 31 },
    });
    expect(await page.getByTestId('step-status-tool').textContent()).toBe('Completed');
    await page.screenshot({ path: join(OUT, 'monitor.png') });
    await expectNoSeriousAxeViolations(page, 'monitor', OUT);
    if (process.env.WEB_SCREENSHOTS_TO_DOCS === '1') {
      mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
      for (const f of ['designer.png', 'monitor.png'])
        writeFileSync(join(ROOT, 'docs', 'screenshots', f), readFileSync(join(OUT, f)));
    }

    // Sign out and back in: the saved workflow is listed.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Weather check' }).waitFor();
  }

  it('downloads a node output stored out of band when asked to', async () => {
    const api = async (method: string, path: string, body: unknown, token?: string): Promise<any> => {
      const res = await fetch(`${platform.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect([path, res.status]).toEqual([path, method === 'POST' && path.endsWith('/executions') ? 202 : 201]);
      return res.json();
    };
    const email = `big-${randomUUID()}@example.com`;
    const reg = await api('POST', '/api/v1/auth/register', { email, password: 'correct horse battery' });
    const wf = await api(
      'POST',
      '/api/v1/workflows',
      {
        name: 'Big',
        graph: {
          entry_point: 'in',
          nodes: [
            { id: 'in', type: 'input' },
            { id: 'big', type: 'transform', config: { expression: '$pad("", 70000, "x")' } },
            { id: 'out', type: 'output', config: { value: 'done' } },
          ],
          edges: [
            { from: 'in', to: 'big' },
            { from: 'big', to: 'out' },
          ],
        },
      },
      reg.token,
    );
    const run = await api('POST', `/api/v1/workflows/${wf.id}/executions`, { input: {} }, reg.token);
    const session = JSON.stringify({ token: reg.token, workspaceId: reg.workspace.id, email });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}/executions/${run.executionId}`);
    await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
    await page.getByRole('button', { name: 'big', exact: true }).click();
    await page.getByText('Stored out of band (70002 bytes).').waitFor();
    await page.getByRole('button', { name: 'Load value' }).click();
    const shown = JSON.parse((await page.getByTestId('selected-node-output').textContent())!);
    expect(shown).toBe('x'.repeat(70000));
  });
});

/** Mouse drag with intermediate moves, as React Flow's connection line needs. */
async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** JSON fields apply on blur. */
async function setJson(field: Locator, text: string): Promise<void> {
  await field.fill(text);
  await field.blur();
}
