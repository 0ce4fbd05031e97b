import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startPlatform, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';
import { buildWebIfStale, launchBrowser } from './browser';

jest.setTimeout(150_000);

const OUT = join(__dirname, '..', '..', 'tmp', 'web-designer-e2e');
/** `WEB_SCREENSHOTS_TO_DOCS=1` also refreshes the README's version-diff screenshot. */
const DOCS = join(__dirname, '..', '..', 'docs', 'screenshots');
const STEP = 20_000;
const EXPRESSION_LABEL = 'Expression (JSONata)';

const branching = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'check', type: 'condition', config: { expression: 'x > 1' } },
    { id: 'big', type: 'output', config: { value: 'big' } },
    { id: 'small', type: 'output', config: { value: 'small' } },
  ],
  edges: [
    { from: 'in', to: 'check' },
    { from: 'check', to: 'big', when: 'true' },
    { from: 'check', to: 'small', when: 'false' },
  ],
};

/**
 * The designer's editing shortcuts in a real browser against the real platform: select two nodes,
 * Ctrl+C / Ctrl+V pastes them with new ids and the edge between them, Ctrl+Z / Ctrl+Shift+Z undo
 * and redo the paste, Delete removes the selection, auto-layout moves nodes into left-to-right
 * columns, and Ctrl+S saves a new version the API then holds.
 */
describe('web app: designer shortcuts, copy/paste and auto-layout', () => {
  let platform: TestPlatform;
  let tenant: Tenant;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    buildWebIfStale();
    platform = await startPlatform({ label: 'webdesigner' });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'designer');
    browser = await launchBrowser(STEP);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  const open = async (path: string): Promise<Page> => {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${platform.baseUrl}/signin`);
    const session = JSON.stringify({ token: tenant.token, workspaceId: tenant.workspaceId, email: 'designer@example.com' });
    await page.evaluate(`sessionStorage.setItem('flowstack.session', ${JSON.stringify(session)})`);
    await page.goto(`${platform.baseUrl}${path}`);
    return page;
  };
  const nodeIds = async (page: Page): Promise<string[]> =>
    (await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
  const waitForNodes = async (page: Page, expected: string[]): Promise<void> => {
    const deadline = Date.now() + STEP;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await nodeIds(page);
      if (JSON.stringify(seen) === JSON.stringify([...expected].sort())) return;
      await page.waitForTimeout(50);
    }
    expect(seen).toEqual([...expected].sort());
  };

  /** React Flow draws an edge once both its nodes are measured: wait for the count, never read it at once. */
  const waitForEdges = async (page: Page, expected: number): Promise<void> => {
    const deadline = Date.now() + STEP;
    let seen = -1;
    while (Date.now() < deadline) {
      seen = await page.locator('.react-flow__edge').count();
      if (seen === expected) return;
      await page.waitForTimeout(50);
    }
    expect(seen).toBe(expected);
  };

  it('copies, pastes, undoes, redoes, deletes, lays out and saves from the keyboard', async () => {
    const workflowId = await createWorkflow(tenant.client, 'Shortcuts', branching);
    const page = await open(`/workflows/${workflowId}`);
    await page.getByTestId('node-check').click();
    await page.getByTestId('node-big').click({ modifiers: ['ControlOrMeta'] });
    await page.locator('.react-flow__node.selected').nth(1).waitFor();
    await page.keyboard.press('ControlOrMeta+c');
    await page.getByTestId('designer-message').filter({ hasText: 'Copied: 2' }).waitFor();
    await page.keyboard.press('ControlOrMeta+v');
    await waitForNodes(page, ['in', 'check', 'big', 'small', 'condition', 'output']);
    // The edge between the two copies came along, with its `when`; the half-edges did not.
    await page.locator('.react-flow__edge[data-id="condition->output"]').waitFor();
    await waitForEdges(page, 4);

    await page.keyboard.press('ControlOrMeta+z');
    await waitForNodes(page, ['in', 'check', 'big', 'small']);
    await page.keyboard.press('ControlOrMeta+Shift+z');
    await waitForNodes(page, ['in', 'check', 'big', 'small', 'condition', 'output']);

    // Delete removes the picked node (and its edge); Ctrl+Z brings both back.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.getByTestId('node-output').click();
    expect(await page.locator('.react-flow__node.selected').count()).toBe(1);
    await page.keyboard.press('Delete');
    await waitForNodes(page, ['in', 'check', 'big', 'small', 'condition']);
    await waitForEdges(page, 3);
    await page.keyboard.press('ControlOrMeta+z');
    await waitForNodes(page, ['in', 'check', 'big', 'small', 'condition', 'output']);
    await waitForEdges(page, 4);

    // Auto-layout: every node in a left-to-right layer; `big` and `small` share a column.
    await page.getByTestId('auto-layout').click();
    const box = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!;
    const deadline = Date.now() + STEP;
    while (Date.now() < deadline && (await box('big')).x !== (await box('small')).x) await page.waitForTimeout(50);
    expect((await box('in')).x).toBeLessThan((await box('check')).x);
    expect((await box('check')).x).toBeLessThan((await box('big')).x);
    expect((await box('big')).x).toBe((await box('small')).x);
    await page.screenshot({ path: join(OUT, 'designer-after-layout.png') });

    // The pasted branch gets a parent, then Ctrl+S saves a new version (the second) with it.
    await dragBetween(
      page,
      page.locator('[data-testid="node-in"] .react-flow__handle.source'),
      page.locator('[data-testid="node-condition"] .react-flow__handle.target'),
    );
    await page.locator('.react-flow__edge[data-id="in->condition"]').waitFor();
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ControlOrMeta+s');
    await page.getByTestId('designer-message').filter({ hasText: 'version 2' }).waitFor();
    const saved = await tenant.client.get(`/api/v1/workflows/${workflowId}`);
    expect(saved.body.version).toBe(2);
    expect(saved.body.graph.nodes.map((n: { id: string }) => n.id).sort()).toEqual(
      ['in', 'check', 'big', 'small', 'condition', 'output'].sort(),
    );
    expect(saved.body.graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'in', to: 'condition' },
        { from: 'condition', to: 'output', when: 'true' },
      ]),
    );
    expect(saved.body.graph.nodes.find((n: { id: string }) => n.id === 'condition').config).toEqual({ expression: 'x > 1' });
  });

  it('lists versions, draws the diff of two on the canvas and restores an old one as a new version', async () => {
    const workflowId = await createWorkflow(tenant.client, 'Versions', branching);
    // Version 2: `check` changed, `small` removed, `log` added (with its edge), `check->big` relabelled.
    const v2 = {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'check', type: 'condition', config: { expression: 'x > 10' } },
        { id: 'big', type: 'output', config: { value: 'big' } },
        { id: 'log', type: 'output', config: { value: 'logged' } },
      ],
      edges: [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'big', when: 'default' },
        { from: 'check', to: 'log', when: 'false' },
      ],
    };
    const put = await tenant.client.put(`/api/v1/workflows/${workflowId}`, { name: 'Versions', graph: v2 });
    expect(put.status).toBe(200);

    const page = await open(`/workflows/${workflowId}`);
    await page.getByRole('button', { name: 'Versions' }).click();
    const panel = page.getByTestId('versions-panel');
    await panel.getByTestId('version-1').waitFor();
    await panel.getByLabel('Pick version 1 to compare').check();
    await panel.getByLabel('Pick version 2 to compare').check();
    await panel.getByRole('button', { name: 'Compare the two picked versions' }).click();
    await page.getByTestId('diff-banner').filter({ hasText: 'Version 1 → version 2' }).waitFor();

    const mark = (id: string) => page.getByTestId(`node-${id}`).getAttribute('data-diff');
    expect(await mark('log')).toBe('added');
    expect(await mark('small')).toBe('removed');
    expect(await mark('check')).toBe('changed');
    expect(await mark('in')).toBeNull();
    expect(await mark('big')).toBeNull();
    const edgeClass = (id: string) => page.locator(`.react-flow__edge[data-id="${id}"]`).getAttribute('class');
    expect(await edgeClass('check->log')).toContain('diff-added');
    expect(await edgeClass('check->small')).toContain('diff-removed');
    expect(await edgeClass('check->big')).toContain('diff-changed');
    expect(await edgeClass('in->check')).not.toContain('diff-');
    await page.screenshot({ path: join(OUT, 'designer-version-diff.png') });
    if (process.env.WEB_SCREENSHOTS_TO_DOCS === '1') {
      mkdirSync(DOCS, { recursive: true });
      writeFileSync(join(DOCS, 'designer-version-diff.png'), readFileSync(join(OUT, 'designer-version-diff.png')));
    }

    // Restore version 1: saved again as version 3, and the canvas shows it.
    await panel.getByRole('button', { name: 'Restore v1' }).click();
    await page.getByTestId('designer-message').filter({ hasText: 'Restored version 1 as version 3' }).waitFor();
    await waitForNodes(page, ['in', 'check', 'big', 'small']);
    expect(await page.getByTestId('diff-banner').count()).toBe(0);
    const latest = await tenant.client.get(`/api/v1/workflows/${workflowId}`);
    expect(latest.body.version).toBe(3);
    expect(latest.body.graph.nodes).toEqual(branching.nodes);
    expect(latest.body.graph.edges).toEqual(branching.edges);
    await panel.getByTestId('version-3').waitFor();
  });

  it('compiles an expression field as you type (the JSONata compiler, loaded on demand)', async () => {
    const workflowId = await createWorkflow(tenant.client, 'Typing', branching);
    const page = await open(`/workflows/${workflowId}`);
    await page.getByTestId('node-check').click();
    const form = page.getByRole('form', { name: 'Configuration of check' });
    const field = form.getByRole('textbox', { name: EXPRESSION_LABEL });
    await field.fill('input.x >');
    await form.getByTestId('expression-problem').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await field.fill('input.x > 2');
    await form.getByTestId('expression-problem').waitFor({ state: 'detached' });
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
