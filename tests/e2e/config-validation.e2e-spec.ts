import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ServiceName } from '@flowstack/testing';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');

/** Runs a service's real main.ts with `env` and answers its exit code and output. */
const run = (name: ServiceName, env: Record<string, string>): Promise<{ code: number | null; output: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });

/** Each service refuses a bad configuration before connecting to anything, one line per bad variable. */
describe('configuration validated at start-up', () => {
  const shared = { LOG_FORMAT: 'xml', METRICS_PORT: 'nine', DATABASE_URL: 'mysql://user:hunter2@db/flowstack' };
  const own: Record<ServiceName, [string, string]> = {
    orchestrator: ['RESULTS_MAX_DELIVER', 'five'],
    'tool-runner': ['TOOL_HTTP_ALLOW_PRIVATE', 'maybe'],
    billing: ['BILLING_SWEEP', 'sometimes'],
    scheduler: ['SCHEDULER_BATCH', '1.5'],
    registry: ['VERSION_CACHE_SIZE', 'lots'],
    identity: ['BCRYPT_COST', 'high'],
    gateway: ['GATEWAY_MAX_SOCKETS', '-3'],
  };

  it.each(Object.keys(own) as ServiceName[])('%s prints one line per bad variable and exits 1', async (name) => {
    const [variable, value] = own[name];
    const { code, output } = await run(name, { ...shared, [variable]: value, JWT_SECRET: 'x'.repeat(40) });
    expect(code).toBe(1);
    const lines = output.split('\n').filter((l) => l.startsWith(`${name}: bad setting: `));
    expect(lines.map((l) => l.slice(`${name}: bad setting: `.length).split(' ')[0]).sort()).toEqual(
      ['DATABASE_URL', 'LOG_FORMAT', 'METRICS_PORT', variable].sort(),
    );
    expect(output).toContain(`${name} failed to start: 4 bad settings (see above)`);
    expect(output).not.toContain('hunter2');
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
    expect(output).not.toContain(`${name} ready`);
  });
});
