import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

export type ServiceName = 'identity' | 'registry' | 'orchestrator' | 'tool-runner' | 'scheduler' | 'billing' | 'gateway';

/** How a service process ended: a clean stop is `{ code: 0, signal: null }`. */
export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A service running as its own OS process, as `npm start` runs it. */
export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  /** Everything it printed so far (for assertions and failure messages). */
  output(): string;
  /** SIGKILL: no shutdown hooks, no drain; what a crash looks like. */
  kill(): Promise<void>;
  /** SIGTERM and wait for it to exit (SIGKILL after 30 s); `exited` says how it ended. */
  stop(): Promise<void>;
  /** Resolves when the process has ended, with its exit code or signal. */
  exited: Promise<ServiceExit>;
}

/**
 * How long a service may take to say it is ready: generous, because CI runs many platforms at once
 * on two cores and a start under that load can take tens of seconds; a service that fails exits
 * long before (and its output is in the error).
 */
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts `apps/<name>/src/main.ts` in a child process with the given environment and resolves when
 * it logs `<name> ready`; rejects with its output if it exits or takes longer than `timeoutMs`.
 */
export function startService(
  name: ServiceName,
  env: Record<string, string>,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '-r', '@swc-node/register', path.join(ROOT, 'apps', name, 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'log', ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<ServiceExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const proc: ServiceProcess = {
    name,
    child,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // Above the services' SHUTDOWN_TIMEOUT_MS (25 s): they exit on their own.
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not become ready in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(`${name} ready`)) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
}

/** Ports this process handed out: each goes to one listener, even before that listener binds it. */
const handedOut = new Set<number>();

/**
 * A TCP port that was free a moment ago on 127.0.0.1 and that this process has not handed out
 * before. The kernel may offer the same free port to consecutive `listen(0)` calls, and a port
 * handed out is only bound later by a child process: without the set, a metrics port and the
 * gateway's port of one platform could be the same number (EADDRINUSE at start-up).
 */
export async function freePort(): Promise<number> {
  // A port offered again stays held while we ask once more, so the kernel must offer another.
  const held: Server[] = [];
  try {
    for (;;) {
      const server = await listening();
      const { port } = server.address() as AddressInfo;
      if (!handedOut.has(port)) {
        handedOut.add(port);
        held.push(server);
        return port;
      }
      held.push(server);
    }
  } finally {
    await Promise.all(held.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

function listening(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
