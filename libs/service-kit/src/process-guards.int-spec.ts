import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
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
  signal(): NodeJS.Signals | null;
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
  return { child, output: () => output, send: (line) => child.stdin.write(`${line}\n`), exited, signal: () => child.signalCode };
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

/** A port held by this test process (taken, or to be handed to a fixture once closed). */
const holdPort = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: Server): number => (server.address() as { port: number }).port;
const closed = (server: Server): Promise<void> => new Promise((r) => server.close(() => r()));

const scrape = async (port: number): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

/** `runService`'s metrics listener (`METRICS_PORT`), in the same real fixture process. */
describe('runService metrics', () => {
  const started: Guarded[] = [];
  afterAll(async () => {
    for (const g of started) if (g.child.exitCode === null && g.child.signalCode === null) g.child.kill('SIGKILL');
    await Promise.all(started.map((g) => g.exited));
  });
  const start = async (env: Record<string, string>): Promise<Guarded> => {
    const g = startGuarded(env);
    started.push(g);
    await waitFor(() => g.output().includes('guarded ready') || g.child.exitCode !== null, 'the fixture to start', 30_000);
    return g;
  };

  it('serves /metrics on METRICS_PORT with the uncaught errors the guards survived, and closes on SIGTERM', async () => {
    const free = await holdPort();
    const port = portOf(free);
    await closed(free);
    const g = await start({ METRICS_PORT: String(port) });
    expect(g.output()).toContain(`guarded ready (metrics on http://127.0.0.1:${port}/metrics)`);
    const before = await scrape(port);
    expect(before).toMatch(/^flowstack_uncaught_errors_total\{kind="uncaught_exception",service="guarded"\} 0$/m);
    expect(before).toMatch(/^flowstack_process_resident_memory_bytes\{service="guarded"\} \d+$/m);

    g.send('throw');
    g.send('reject');
    await waitFor(() => g.output().includes('unhandled rejection survived'), 'the rejection to be survived');
    await waitFor(() => g.output().includes('uncaught exception survived'), 'the exception to be survived');
    const after = await scrape(port);
    expect(after).toMatch(/^flowstack_uncaught_errors_total\{kind="uncaught_exception",service="guarded"\} 1$/m);
    expect(after).toMatch(/^flowstack_uncaught_errors_total\{kind="unhandled_rejection",service="guarded"\} 1$/m);

    // A clean stop exits 0 by itself (Nest's own hooks re-raised the signal: "killed by SIGTERM", 143).
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
    expect(g.signal()).toBeNull();
    expect(g.output()).toMatch(/guarded stopping \(SIGTERM\)/);
    expect(g.output()).toMatch(/guarded stopped in \d+ ms/);
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('serves /health/liveness and /health/readiness on the same port, with every registered check', async () => {
    const free = await holdPort();
    const port = portOf(free);
    await closed(free);
    const g = await start({ METRICS_PORT: String(port) });
    const live = await fetch(`http://127.0.0.1:${port}/health/liveness`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', checks: [{ name: 'always', status: 'ok' }] });
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
  });

  it('answers 503 (process: starting) until the service is ready, though its checks pass', async () => {
    const free = await holdPort();
    const port = portOf(free);
    await closed(free);
    const g = startGuarded({ METRICS_PORT: String(port), STALL_AT_START: '1' });
    started.push(g);
    await waitFor(() => g.output().includes('stalled at start') || g.child.exitCode !== null, 'the fixture to stall', 30_000);
    const starting = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({
      status: 'failing',
      checks: [
        { name: 'always', status: 'ok' },
        { name: 'process', status: 'failing', error: 'starting' },
      ],
    });
    g.send('go');
    await waitFor(() => g.output().includes('guarded ready'), 'the fixture to start');
    expect((await fetch(`http://127.0.0.1:${port}/health/readiness`)).status).toBe(200);
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
  });

  it('answers 503 naming the failing dependency', async () => {
    const free = await holdPort();
    const port = portOf(free);
    await closed(free);
    const g = await start({ METRICS_PORT: String(port), READINESS: 'failing' });
    const ready = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'failing',
      checks: [
        { name: 'always', status: 'ok' },
        { name: 'upstream', status: 'failing', error: 'upstream is down' },
      ],
    });
    g.child.kill('SIGTERM');
    expect(await g.exited).toBe(0);
  });

  it('is not ready once SIGTERM arrives, and exits 1 when draining outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const free = await holdPort();
    const port = portOf(free);
    await closed(free);
    const g = await start({ METRICS_PORT: String(port), HANG_ON_SHUTDOWN: '1', SHUTDOWN_TIMEOUT_MS: '1500' });
    expect((await fetch(`http://127.0.0.1:${port}/health/readiness`)).status).toBe(200);
    g.child.kill('SIGTERM');
    await waitFor(() => g.output().includes('guarded stopping (SIGTERM)'), 'the drain to begin');
    const draining = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(draining.status).toBe(503);
    expect(((await draining.json()) as { checks: unknown[] }).checks).toContainEqual({
      name: 'process',
      status: 'failing',
      error: 'shutting down',
    });
    // Liveness still answers: the process is healthy, only leaving.
    expect((await fetch(`http://127.0.0.1:${port}/health/liveness`)).status).toBe(200);
    expect(await g.exited).toBe(1);
    expect(g.output()).toContain('guarded did not stop within SHUTDOWN_TIMEOUT_MS (1500 ms); exiting');
  });

  it('fails start-up with one line naming a malformed SHUTDOWN_TIMEOUT_MS', async () => {
    const g = startGuarded({ SHUTDOWN_TIMEOUT_MS: 'soon' });
    started.push(g);
    expect(await g.exited).toBe(1);
    expect(g.output()).toContain(
      'guarded failed to start: SHUTDOWN_TIMEOUT_MS must be a positive number of milliseconds, got "soon"',
    );
  });

  it('opens no listener without METRICS_PORT', async () => {
    const g = await start({ METRICS_PORT: '' });
    expect(g.output()).toContain('guarded ready');
    expect(g.output()).not.toContain('metrics on');
  });

  it('fails start-up with one line when METRICS_PORT is in use', async () => {
    const taken = await holdPort();
    try {
      const g = startGuarded({ METRICS_PORT: String(portOf(taken)) });
      started.push(g);
      expect(await g.exited).toBe(1);
      const lines = g
        .output()
        .trim()
        .split('\n')
        .filter((l) => l.includes('failed to start'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `guarded failed to start: METRICS_PORT ${portOf(taken)} is already in use on 127.0.0.1: stop what holds it`,
      );
      expect(g.output()).not.toContain('guarded ready');
      expect(g.output()).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await closed(taken);
    }
  });

  it('fails start-up with one line naming a malformed METRICS_PORT', async () => {
    const g = startGuarded({ METRICS_PORT: '70000' });
    started.push(g);
    expect(await g.exited).toBe(1);
    expect(g.output()).toContain(
      'guarded failed to start: METRICS_PORT must be a port number (1-65535, or 0 for off), got "70000"',
    );
  });
});
