import { HttpTarget, McpTestServer, startPlatform, type TestPlatform } from '@flowstack/testing';
import type { Page } from 'playwright-core';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';
import { buildWebIfStale, launchBrowser } from './browser';

jest.setTimeout(150_000);

const STEP = 20_000;

/**
 * The tools page's Test and Discover, and the admin's workspace settings, in a real browser against
 * the real platform: an http tool's test shows the target's answer, a failing one its error; an mcp
 * tool's Discover lists the server's tools, and testing one of them shows its result; switching a
 * sandboxed-tools setting on the page is what the API then reports.
 */
describe('web app: tool test and discover, workspace settings', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  const mcp = new McpTestServer();
  let tenant: Tenant;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    buildWebIfStale();
    target = await new HttpTarget()
      .route('GET', '/hello', () => ({ json: { hello: 'from the target' } }))
      .route('GET', '/down', () => ({ status: 400, json: { error: 'nope' } }))
      .start();
    await mcp.start();
    platform = await startPlatform({ label: 'webtools', serviceEnv: { 'tool-runner': { MCP_TOOL_LIST_TTL_MS: '0' } } });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'tools');
    browser = await launchBrowser(STEP);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await Promise.all([target?.stop(), mcp.stop()]);
  });

  const open = async (path: string): Promise<Page> => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: tenant.token, workspaceId: tenant.workspaceId, email: 'tools@example.com' });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}${path}`);
    return page;
  };
  const createTool = async (body: object): Promise<void> => {
    const res = await tenant.client.post('/api/v1/tools', body);
    expect(res.status).toBe(201);
  };

  it('tests an http tool (output and error) and discovers and tests an mcp tool', async () => {
    await createTool({ name: 'hello', kind: 'http', config: { url: `${target.url}/hello`, method: 'GET' } });
    await createTool({ name: 'down', kind: 'http', config: { url: `${target.url}/down`, method: 'GET' } });
    await createTool({ name: 'grants', kind: 'mcp', config: { transport: 'streamable_http', serverUrl: mcp.url } });
    const page = await open('/tools');

    await page.getByTestId('test-tool-hello').click();
    await page.getByTestId('tool-run-test').click();
    await page.locator('[data-testid="tool-test-outcome"][data-ok="true"]').waitFor();
    expect(await page.getByTestId('tool-test-result').textContent()).toContain('from the target');

    await page.getByTestId('test-tool-down').click();
    await page.getByTestId('tool-run-test').click();
    await page.locator('[data-testid="tool-test-outcome"][data-ok="false"]').waitFor();

    // Bad args are refused on the page before any call.
    await page.getByTestId('tool-args').fill('[1, 2]');
    await page.getByTestId('tool-run-test').click();
    await page.getByRole('alert').filter({ hasText: 'The arguments must be a JSON object.' }).waitFor();

    await page.getByTestId('test-tool-grants').click();
    await page.getByTestId('tool-discover').click();
    const listed = page.getByTestId('tool-discovered');
    await listed.waitFor();
    expect(await listed.locator('code').allTextContents()).toEqual(['big', 'fail', 'lookup', 'slow']);
    await page.getByLabel('Server tool').selectOption('lookup');
    await page.getByTestId('tool-args').fill('{"query": "water"}');
    await page.getByTestId('tool-run-test').click();
    await page.locator('[data-testid="tool-test-outcome"][data-ok="true"]').waitFor();
    expect(await page.getByTestId('tool-test-result').textContent()).toContain('found 2 grants for water');
  });

  it("switches a workspace's sandboxed tools on from the members page", async () => {
    const page = await open('/members');
    const python = page.getByTestId('setting-python');
    await python.waitFor();
    expect(await python.isChecked()).toBe(false);
    // A controlled switch: it shows the new state once the server has answered.
    await python.click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await page.locator('[data-testid="setting-python"]:checked').waitFor();
    const res = await tenant.client.get(`/api/v1/workspaces/${tenant.workspaceId}/settings`);
    expect(res.body.sandboxedTools).toEqual({ python: true, shell: false, network: false });
    expect(await page.getByTestId('setting-python').isChecked()).toBe(true);
  });

  it('adds and deletes an event trigger and a notification on the automations page', async () => {
    const simple = (value: string) => ({
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'out', type: 'output', config: { value } },
      ],
      edges: [{ from: 'in', to: 'out' }],
    });
    const ingest = await createWorkflow(tenant.client, 'Ingest', simple('a'));
    const report = await createWorkflow(tenant.client, 'Report', simple('b'));
    const page = await open('/automations');
    await page.getByTestId('triggers-table-empty').waitFor();

    await page.getByTestId('trigger-source').selectOption(ingest);
    await page.getByTestId('trigger-target').selectOption(report);
    await page.getByRole('button', { name: 'Add trigger' }).click();
    const triggers = page.getByTestId('triggers-table');
    await triggers.getByRole('cell', { name: 'Report' }).waitFor();
    const listed = await tenant.client.get('/api/v1/triggers');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ sourceWorkflowId: ingest, targetWorkflowId: report, on: ['completed'] }),
    ]);

    await page.getByTestId('notification-workflow').selectOption(report);
    await page.getByTestId('notification-url').fill('https://hooks.example.com/flowstack');
    await page.getByRole('button', { name: 'Add notification' }).click();
    await page.getByTestId('notifications-table').getByRole('cell', { name: 'hooks.example.com' }).waitFor();

    await triggers.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('triggers-table-empty').waitFor();
    await page.getByTestId('notifications-table').getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('notifications-table-empty').waitFor();
    expect((await tenant.client.get('/api/v1/triggers')).body.items).toEqual([]);
    expect((await tenant.client.get('/api/v1/notifications')).body.items).toEqual([]);
  });
});
