import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';
import { buildWebIfStale, launchBrowser } from './browser';

jest.setTimeout(150_000);

const STEP = 30_000;
const BRANCHES = 20;
const DEPTH = 15;
/** Transforms plus the input and the output. */
const NODES = BRANCHES * DEPTH + 2;

/**
 * `BRANCHES` parallel chains of `DEPTH` transforms between one input and one output (a join of
 * every branch). Every transform is decided inline, so one run produces two WebSocket messages per
 * node within milliseconds: the burst the monitor must keep up with.
 */
function wideGraph(): object {
  const chains = Array.from({ length: BRANCHES }, (_, b) => Array.from({ length: DEPTH }, (_, d) => `b${b}_${d}`));
  return {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      ...chains.flat().map((id) => ({ id, type: 'transform', config: { expression: 'input' } })),
      { id: 'out', type: 'output', config: { value: 'done' } },
    ],
    edges: chains.flatMap((chain) =>
      ['in', ...chain, 'out'].slice(1).map((to, i, rest) => ({ from: i === 0 ? 'in' : rest[i - 1], to })),
    ),
  };
}

/**
 * The web app's performance figures the issue asks for, measured in headless Chromium against the
 * real platform and printed (no timing assertions: figures belong to reports, and this machine's
 * load varies): how long a 300-node workflow takes to open in the designer until a node can be
 * selected, and how many WebSocket messages per second the monitor applies to the page when a
 * 300-node run sends its burst. What is asserted is only that the work was done.
 */
describe('web app performance (figures printed, not asserted)', () => {
  let platform: TestPlatform;
  let tenant: Tenant;
  let workflowId: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    buildWebIfStale();
    platform = await startPlatform({ label: 'webperf' });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'perf');
    workflowId = await createWorkflow(tenant.client, 'Wide', wideGraph());
    browser = await launchBrowser(STEP);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const openAs = async (path: string) => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: tenant.token, workspaceId: tenant.workspaceId, email: 'perf@example.com' });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    const started = Date.now();
    await page.goto(`${platform.baseUrl}${path}`);
    return { page, started };
  };

  it(`opens a ${NODES}-node workflow in the designer and reports how long until it is interactive`, async () => {
    const { page, started } = await openAs(`/workflows/${workflowId}`);
    // Interactive: the first node is on the canvas and selecting it opens its form.
    await page.getByTestId('node-in').click();
    await page.getByRole('form', { name: 'Configuration of in' }).waitFor();
    const interactiveMs = Date.now() - started;
    const rendered = await page.locator('.react-flow__node').count();
    console.log(
      `web perf: ${NODES}-node workflow interactive in the designer after ${interactiveMs} ms (${rendered} nodes rendered)`,
    );
    // React Flow renders only what is in view; what matters is that the graph is all there.
    expect(rendered).toBeGreaterThan(0);
  });

  it('reports how many WebSocket messages per second the monitor applies during a run burst', async () => {
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(res.status).toBe(202);
    const executionId = res.body.executionId as string;
    // Count messages as the page receives them and when the last one is applied (the final status shows).
    await browser.context.addInitScript(`
      (() => {
        const Native = window.WebSocket;
        window.__fsMessages = 0;
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            this.addEventListener('message', () => { if (window.__fsMessages++ === 0) window.__fsFirst = performance.now(); });
          }
        };
      })();
    `);
    const { page } = await openAs(`/executions/${executionId}`);
    await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
    const done = await page.evaluate<number>('performance.now()');
    const messages = await page.evaluate<number>('window.__fsMessages');
    const first = await page.evaluate<number>('window.__fsFirst');
    const ms = Math.max(1, done - first);
    console.log(
      `web perf: monitor applied ${messages} WebSocket messages in ${Math.round(ms)} ms (${Math.round((messages * 1000) / ms)} messages/s; target 200/s)`,
    );
    expect(messages).toBeGreaterThanOrEqual(2 * NODES);
    expect(await page.getByTestId('step-status-out').textContent()).toBe('Completed');
  });
});
