import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');

/** Debian's chromium with the flags that keep it off this closed network (issue 15). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds apps/web once when its build is missing or older than its sources (a fresh clone). */
export function buildWebIfStale(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'tools', 'web-build.cjs'), '--if-stale'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
}

/** A browser context of its own (its own profile directory, removed by `close`). */
export async function launchBrowser(stepTimeoutMs: number): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'flowstack-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 860 },
  });
  context.setDefaultTimeout(stepTimeoutMs);
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** axe-core in the page (evaluated over CDP, so the app's CSP stays as it is); the report goes to `outDir`. */
export async function expectNoSeriousAxeViolations(page: Page, name: string, outDir: string): Promise<void> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  // A string, not a function: it runs in the page, and this file is type-checked without the DOM.
  const result: { violations: any[] } = await page.evaluate('axe.run(document, { resultTypes: ["violations"] })');
  writeFileSync(join(outDir, `axe-${name}.json`), JSON.stringify(result.violations, null, 2));
  const serious = result.violations
    .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}
