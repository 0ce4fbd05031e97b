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
  // A suite can fail with no failing test: it did not load, or an error came outside every test (a
  // hook such as afterAll threw, or an 'error' event nobody listened to fired during teardown). Jest
  // then exits 1 with all tests passed; each such suite counts as one failure and is named here.
  const brokenSuites = report.testResults.filter(
    (r) => r.status === 'failed' && !r.assertionResults.some((a) => a.status === 'failed'),
  );
  for (const suite of brokenSuites) {
    const first = (suite.message ?? '').split('\n').find((line) => line.trim() && !line.includes('●')) ?? '';
    console.log(`suite failed outside its tests: ${path.relative(process.cwd(), suite.name)}: ${first.trim()}`);
  }
  failed += brokenSuites.length;
  fs.rmSync(results, { force: true });
} catch {
  failed = Math.max(failed, 1);
}
// Jest's own status is the last word: whatever made it non-zero is a failure even if counted nowhere.
if (run.status !== 0 && failed === 0) {
  console.log(`jest exited with ${run.status ?? run.signal} although no test failed`);
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
