import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { GUARD_EXIT_CODE } from './process-guards';

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(__dirname, '../test/guarded-service.fixture.ts');

/** Polls until `probe` holds (service-kit may not depend on @flowstack/testing, whose waitFor this mirrors). */
async function waitFor(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Guarded {
  child: ChildProcess;
  output(): string;
  send(line: string): void;
  exited: Promise<number | null>;
}

function startGuarded(env: Record<string, string> = {}): Guarded {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, send: (line) => child.stdin.write(`${line}\n`), exited };
}

const pong = async (g: Guarded): Promise<void> => {
  const before = g.output().split('pong').length;
  g.send('ping');
  await waitFor(() => g.output().split('pong').length > before, 'a pong');
};

/** The process-level safety net of every service, in a real process started by `runService`. */
describe('process guards', () => {
  const started: Guarded[] = [];
  afterAll(async () => {
    for (const g of started) if (g.child.exitCode === null) g.child.kill('SIGKILL');
    await Promise.all(started.map((g) => g.exited));
  });
  const start = async (env: Record<string, string> = {}): Promise<Guarded> => {
    const g = startGuarded(env);
    started.push(g);
    await waitFor(() => g.output().includes('guarded ready') || g.child.exitCode !== null, 'the fixture to start', 30_000);
    return g;
  };

  it('logs an uncaught exception and an unhandled rejection with the service name and keeps serving', async () => {
    const g = await start();
    g.send('throw');
    await waitFor(() => g.output().includes('uncaught exception survived'), 'the uncaught exception to be logged');
    g.send('reject');
    await waitFor(() => g.output().includes('unhandled rejection survived'), 'the rejection to be logged');
    expect(g.output()).toMatch(/guarded: uncaught exception survived \(1 in the last 60000 ms\): Error: boom from a timer/);
    expect(g.output()).toContain('nobody caught this');
    await pong(g);
    expect(g.child.exitCode).toBeNull();
  });

  it('exits with code 70 on a burst of uncaught errors, so the supervisor restarts it', async () => {
    const g = await start({ PROCESS_MAX_UNCAUGHT: '3' });
    for (let i = 0; i < 3; i++) g.send('throw');
    await waitFor(() => g.output().includes('(3 in the last'), 'three survived errors');
    await pong(g);
    g.send('reject');
    expect(await g.exited).toBe(GUARD_EXIT_CODE);
    expect(g.output()).toMatch(/guarded: unhandled rejection, exiting \(4 in 60000 ms \(more than 3\)\)/);
  });

  it('exits on an error marked fatal', async () => {
    const g = await start();
    g.send('fatal');
    expect(await g.exited).toBe(GUARD_EXIT_CODE);
    expect(g.output()).toContain('exiting (marked fatal)');
  });

  it('exits on an uncaught error before the service is ready', async () => {
    const g = startGuarded({ FAIL_AT_START: '1' });
    started.push(g);
    expect(await g.exited).toBe(GUARD_EXIT_CODE);
    expect(g.output()).toMatch(/guarded: uncaught exception, exiting \(during start-up\): Error: broken while starting/);
    expect(g.output()).not.toContain('guarded ready');
  });
});
