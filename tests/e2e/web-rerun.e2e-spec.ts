import { HttpTarget, startPlatform, type TestPlatform } from '@flowstack/testing';
import type { Page } from 'playwright-core';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';
import { buildWebIfStale, launchBrowser } from './browser';

jest.setTimeout(150_000);

const STEP = 20_000;

/**
 * The monitor's retry-from-failure and fork buttons in a real browser against the real platform:
 * a run fails at `a` (its target answers 400 while broken), the upstream is repaired, Retry runs
 * `a` again (attempt 2) and the run completes on the same page; then Fork from `b` starts a new run
 * that the monitor follows, and it completes with `a` copied (not called again).
 */
describe('web app: retry from failure and fork in the monitor', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let broken = true;

  beforeAll(async () => {
    buildWebIfStale();
    target = await new HttpTarget()
      .route('POST', '/a', () => (broken ? { status: 400, json: { error: 'broken' } } : { json: { a: 'ok' } }))
      .route('POST', '/b', () => ({ json: { b: 'ok' } }))
      .start();
    platform = await startPlatform({ label: 'webrerun' });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'rerun');
    browser = await launchBrowser(STEP);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await target?.stop();
  });

  const open = async (path: string): Promise<Page> => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: tenant.token, workspaceId: tenant.workspaceId, email: 'rerun@example.com' });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}${path}`);
    return page;
  };
  const calls = (path: string): number => target.received.filter((r) => r.path === path).length;

  it('retries a failed run on the page, then forks it from a node and follows the new run', async () => {
    const http = (path: string) => ({ tool: { kind: 'http', method: 'POST', url: `${target.url}${path}`, body: {} } });
    const workflowId = await createWorkflow(tenant.client, 'Rerun', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'a', type: 'tool', config: { ...http('/a'), retry: { maxAttempts: 1 } } },
        { id: 'b', type: 'tool', config: http('/b') },
        { id: 'out', type: 'output', config: { value: '{{ nodes.b.output.body.b }}' } },
      ],
      edges: [
        { from: 'in', to: 'a' },
        { from: 'a', to: 'b' },
        { from: 'b', to: 'out' },
      ],
    });
    const res = await tenant.client.post(`/api/v1/workflows/${workflowId}/executions`, { input: {} });
    expect(res.status).toBe(202);
    const executionId = res.body.executionId as string;

    const page = await open(`/executions/${executionId}`);
    await page.locator('[data-testid="run-status"][data-status="failed"]').waitFor();
    expect(await page.getByTestId('step-status-a').textContent()).toBe('Failed');
    expect(await page.getByTestId('step-attempt-a').textContent()).toBe('1');

    broken = false;
    await page.getByTestId('retry-run').click();
    await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
    expect(await page.getByTestId('step-attempt-a').textContent()).toBe('2');
    expect(await page.getByTestId('run-retries').textContent()).toBe('Retried 1×');
    expect(JSON.parse((await page.getByTestId('run-output').textContent())!)).toBe('ok');
    expect(await page.getByTestId('retry-run').count()).toBe(0);

    // Fork from `b`: a new run; `a` is copied from this one, so its target is not called again.
    const aCalls = calls('/a');
    await page.getByRole('button', { name: 'b', exact: true }).click();
    await page.getByTestId('fork-run').click();
    await page.waitForURL((url) => url.pathname.startsWith('/executions/') && !url.pathname.endsWith(executionId));
    const forkedId = new URL(page.url()).pathname.split('/').pop()!;
    await page.locator('[data-testid="run-status"][data-status="completed"]').waitFor();
    const forked = await tenant.client.get(`/api/v1/executions/${forkedId}`);
    expect(forked.body.forkedFrom).toEqual({ executionId, fromNodeId: 'b' });
    expect(forked.body.status).toBe('completed');
    expect(calls('/a')).toBe(aCalls);
  });
});
