import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, grantCredits, registerTenant, type Tenant } from './api-client';
import { buildWebIfStale, expectNoSeriousAxeViolations, launchBrowser } from './browser';

jest.setTimeout(150_000);

const OUT = join(__dirname, '..', '..', 'tmp', 'web-usage-e2e');
const STEP = 20_000;
const TOOL_PRICE = 2_500;

/**
 * The credits page's usage report in a real browser against the real platform: after two costed
 * runs (a priced http tool), the page loads the chart (a lazy chunk, not in the initial bundle)
 * and draws bars from `GET /api/v1/usage`; the table beside it has the same figures; switching the
 * grouping asks the API again; no serious accessibility violation.
 */
describe('web app: usage report on the credits page', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let ada: Tenant;
  let browser: { context: BrowserContext; close: () => Promise<void> };

  beforeAll(async () => {
    buildWebIfStale();
    target = await new HttpTarget().route('GET', '/ping', () => ({ json: { pong: true } })).start();
    platform = await startPlatform({
      label: 'webusage',
      env: { TOOL_PRICES_JSON: JSON.stringify({ kinds: { http: TOOL_PRICE } }) },
    });
    ada = await registerTenant(new ApiClient(platform.baseUrl), 'usage-ada');
    await grantCredits(ada.client, 1_000_000);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    browser = await launchBrowser(STEP);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await target?.stop();
  });

  it('draws cost and runs from the usage report, with the same figures in its table', async () => {
    const workflowId = await createWorkflow(ada.client, 'Pinger', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'ping', type: 'tool', config: { tool: { kind: 'http', method: 'GET', url: `${target.url}/ping` } } },
      ],
      edges: [{ from: 'in', to: 'ping' }],
    });
    for (let i = 0; i < 2; i++) {
      const res = await ada.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
      expect(res.status).toBe(202);
    }
    // The projection follows the log: wait until the report counts both runs, ended.
    const report = await waitFor(
      async () => {
        const body = (await ada.client.get('/api/v1/usage?groupBy=day')).body;
        return body.totals?.succeeded === 2 && body.totals.cost === 2 * TOOL_PRICE ? body : undefined;
      },
      'the usage report to count both runs',
      30_000,
      100,
    );

    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: ada.token, workspaceId: ada.workspaceId, email: 'usage-ada@example.com' });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}/credits`);

    const chart = page.getByTestId('usage-chart');
    await chart.waitFor();
    // recharts draws one rectangle per bar: the day's cost and its runs.
    await waitFor(async () => ((await chart.locator('.recharts-bar-rectangle').count()) >= 2 ? true : undefined), 'the bars');
    expect(await page.getByTestId('usage-totals').textContent()).toContain(`${2 * TOOL_PRICE}`);
    const row = page.getByTestId('usage-table').locator('tbody tr').first();
    expect(await row.textContent()).toContain(report.items[0].key);
    expect(await row.textContent()).toContain(String(2 * TOOL_PRICE));
    // The chart library came as its own chunk, after the page asked for it.
    expect(scripts.some((s) => /UsageChart-.*\.js$/.test(s))).toBe(true);
    await page.screenshot({ path: join(OUT, 'usage.png') });
    await expectNoSeriousAxeViolations(page, 'usage', OUT);

    // Grouped by workflow: one bar group named after the workflow's id.
    await page.getByTestId('usage-group-by').selectOption('workflow');
    await waitFor(
      async () => ((await page.getByTestId('usage-table').textContent())?.includes(workflowId) ? true : undefined),
      'the report grouped by workflow',
    );
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThanOrEqual(2);
  });
});
