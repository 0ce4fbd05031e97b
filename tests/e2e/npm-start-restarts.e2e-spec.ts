import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@flowstack/testing';

// `npm start` runs the services under tools/supervisor.cjs. Here the same supervisor runs two tiny
// fake services as real processes: one that crashes twice and then stays up, one that never
// crashes. A crash must be named and restarted with growing delays, never stop the other one, and
// Ctrl-C (SIGINT) must still stop everything.
const ROOT = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'flowstack-start-'));

const FLAKY = `
const fs = require('node:fs');
const counter = process.argv[2];
const runs = fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) + 1 : 1;
fs.writeFileSync(counter, String(runs));
console.log('flaky run ' + runs + ' pid=' + process.pid);
if (runs <= 2) process.exit(3);
console.log('flaky up again');
setInterval(() => undefined, 1000);
`;
const STEADY = `
console.log('steady pid=' + process.pid);
process.on('SIGTERM', () => { console.log('steady stopping'); process.exit(0); });
setInterval(() => undefined, 1000);
`;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let supervisor: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (supervisor && supervisor.exitCode === null) supervisor.kill('SIGKILL');
  for (const pid of [...output.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]))) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

it('restarts a crashed service with backoff, naming it, keeps the others running, and stops all on Ctrl-C', async () => {
  writeFileSync(path.join(dir, 'flaky.cjs'), FLAKY);
  writeFileSync(path.join(dir, 'steady.cjs'), STEADY);
  const driver = `
    require(${JSON.stringify(path.join(ROOT, 'tools/supervisor.cjs'))}).supervise(
      [
        { name: 'flaky', command: process.execPath, args: [${JSON.stringify(path.join(dir, 'flaky.cjs'))}, ${JSON.stringify(path.join(dir, 'runs'))}] },
        { name: 'steady', command: process.execPath, args: [${JSON.stringify(path.join(dir, 'steady.cjs'))}] },
      ],
      { initialDelayMs: 100, color: false },
    );`;
  supervisor = spawn(process.execPath, ['-e', driver], { stdio: ['ignore', 'pipe', 'pipe'] });
  supervisor.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  supervisor.stderr!.on('data', (c: Buffer) => (output += c.toString()));

  await waitFor(() => output.includes('flaky up again'), 'the flaky service to come back after two crashes', 20_000);
  expect(output).toMatch(
    /✖ flaky exited with code 3; restarting it in 0\.1 s \(crash 1 in a row\)\. The other services keep running\./,
  );
  expect(output).toMatch(/✖ flaky exited with code 3; restarting it in 0\.2 s \(crash 2 in a row\)/);
  expect(output).toMatch(/\[flaky \] flaky run 3 pid=\d+/);

  // The steady one was started once and is still the same process.
  const steadyPids = [...output.matchAll(/steady pid=(\d+)/g)].map((m) => Number(m[1]));
  expect(steadyPids).toHaveLength(1);
  expect(isAlive(steadyPids[0])).toBe(true);
  expect(supervisor.exitCode).toBeNull();

  const flakyPid = Number(/flaky run 3 pid=(\d+)/.exec(output)![1]);
  const exited = new Promise<number | null>((resolve) => supervisor!.once('exit', (code) => resolve(code)));
  supervisor.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output).toContain('steady stopping');
  await waitFor(() => !isAlive(steadyPids[0]) && !isAlive(flakyPid), 'both services to be gone');
  expect(output).not.toMatch(/flaky run 4/);
});

it('gives npm start a random per-install JWT secret, kept in .flowstack/dev-jwt-secret with mode 0600', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { devJwtSecret } = require(path.join(ROOT, 'tools/dev-jwt-secret.cjs')) as { devJwtSecret(root: string): string };
  const install = mkdtempSync(path.join(dir, 'install-'));
  const other = mkdtempSync(path.join(dir, 'install-'));
  const secret = devJwtSecret(install);
  expect(secret.length).toBeGreaterThanOrEqual(32);
  expect(devJwtSecret(install)).toBe(secret);
  expect(devJwtSecret(other)).not.toBe(secret);
  const file = path.join(install, '.flowstack', 'dev-jwt-secret');
  expect(readFileSync(file, 'utf8').trim()).toBe(secret);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.flowstack\/$/m);
});

it('derives every port of npm start from one base, so platforms and replicas never share one', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { portPlan } = require(path.join(ROOT, 'tools/services.cjs')) as {
    portPlan(
      base: number,
      replicas?: number,
    ): Array<{ name: string; service: string; port: number; env: Record<string, string> }>;
  };
  const one = portPlan(8080);
  expect(Object.fromEntries(one.map((p) => [p.name, p.port]))).toEqual({
    gateway: 8080,
    identity: 8081,
    registry: 8082,
    orchestrator: 8083,
    'tool-runner': 8084,
    scheduler: 8085,
    billing: 8086,
  });
  expect(one.find((p) => p.service === 'gateway')!.env).toEqual({ GATEWAY_PORT: '8080', METRICS_PORT: '0' });
  expect(one.find((p) => p.service === 'orchestrator')!.env).toEqual({ METRICS_PORT: '8083' });
  const two = portPlan(9000, 2);
  expect(two).toHaveLength(14);
  expect(two.filter((p) => p.service === 'gateway').map((p) => [p.name, p.port])).toEqual([
    ['gateway-1', 9000],
    ['gateway-2', 9010],
  ]);
  // Two platforms on bases 8080 and 9000, each with two replicas: 28 distinct ports.
  const all = [...portPlan(8080, 2), ...two].map((p) => p.port);
  expect(new Set(all).size).toBe(all.length);
});
