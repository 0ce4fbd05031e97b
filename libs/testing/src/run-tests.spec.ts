import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES = path.join(ROOT, 'tools/test-fixtures');

/** Runs `tools/run-tests.cjs` (what `npm test` and CI run) on one fixture suite instead of the repo. */
const runTests = (fixture: string): { status: number | null; lastLine: string; output: string } => {
  const config = { rootDir: FIXTURES, testMatch: [`<rootDir>/${fixture}`], transform: {} };
  const run = spawnSync(process.execPath, [path.join(ROOT, 'tools/run-tests.cjs'), '--config', JSON.stringify(config)], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const output = `${run.stdout}${run.stderr}`;
  return { status: run.status, lastLine: run.stdout.trim().split('\n').at(-1) ?? '', output };
};

/** The line CI reads must agree with the exit status, whatever made Jest fail. */
describe('tools/run-tests.cjs', () => {
  it('counts a suite that fails outside its tests (an error after the last test) and names it', () => {
    const run = runTests('error-after-tests.fixture.cjs');
    expect(run.status).toBe(1);
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.output).toContain('suite failed outside its tests: tools/test-fixtures/error-after-tests.fixture.cjs');
  });

  it('passes a green suite with exit 0', () => {
    const run = runTests('passing.fixture.cjs');
    expect(run.lastLine).toBe('1 passed, 0 failed');
    expect(run.status).toBe(0);
  });
});
