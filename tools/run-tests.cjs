// Runs every test (or only the unit project with --unit) and ends with the line CI reads:
// `N passed, N failed`. Jest's own summary stays above it for people.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const unitOnly = process.argv.includes('--unit');
const extra = process.argv.slice(2).filter((a) => a !== '--unit');
const results = path.join(os.tmpdir(), `flowstack-jest-${process.pid}.json`);
const args = [
  require.resolve('jest/bin/jest'),
  '--json',
  // A leaked handle must never hang CI for its 90 minutes; tests still close what they open.
  '--forceExit',
  `--outputFile=${results}`,
  ...(unitOnly ? ['--selectProjects', 'unit'] : []),
  ...extra,
];
const run = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() },
});

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(fs.readFileSync(results, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  // A suite that fails to load counts as a failure even though it ran no test.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  fs.rmSync(results, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
