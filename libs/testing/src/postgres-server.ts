import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from './service-process';
import { waitFor } from './wait-for';

/** A Postgres cluster of a test's own (its own data directory and port), never the shared server. */
export interface OwnPostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the admin URL a test database is made from. */
  adminUrl: string;
  output(): string;
  /**
   * Stops the server and starts it again on the same data directory and port; resolves once it
   * accepts connections. `{ kill: true }` is a crash (SIGKILL of the postmaster and its backends:
   * the start replays the WAL); otherwise a fast shutdown (SIGINT: sessions are ended, work rolled back).
   */
  restart(options?: { kill?: boolean; downMs?: number }): Promise<void>;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

/** Debian's server binaries, newest major first (`/usr/lib/postgresql/<major>/bin`). */
function serverBinaries(): string {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const majors = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
  if (!majors.length) throw new Error('no Postgres server binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${majors[0]}/bin`;
}

/**
 * `initdb` into a temporary directory and `postgres` on a free loopback port, both as the
 * `postgres` system user when the test runs as root (the server refuses to run as root). Trust
 * authentication on loopback, like the machine's shared server.
 */
export async function startPostgresServer(): Promise<OwnPostgresServer> {
  const bin = serverBinaries();
  const dir = mkdtempSync(path.join(tmpdir(), 'flowstack-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot
    ? { uid: Number(execFileSync('id', ['-u', 'postgres'])), gid: Number(execFileSync('id', ['-g', 'postgres'])) }
    : {};
  if (asRoot) chownSync(dir, owner.uid!, owner.gid!);
  execFileSync(`${bin}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8'], {
    ...owner,
    stdio: 'pipe',
  });
  const port = await freePort();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let output = '';
  const launch = (): { child: ChildProcess; exited: Promise<void> } => {
    const child = spawn(
      `${bin}/postgres`,
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
      { ...owner, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  };
  let current = launch();
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const { child, exited } = current;
    if (child.exitCode === null && child.signalCode === null) {
      if (signal === 'SIGKILL' && child.pid) {
        // A crash takes the backends too: they are the postmaster's children, not in its group.
        try {
          execFileSync('pkill', ['-KILL', '-P', String(child.pid)]);
        } catch {
          // none left
        }
      }
      child.kill(signal);
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const ready = (): Promise<unknown> =>
    waitFor(
      async () => {
        if (current.child.exitCode !== null) throw new Error(`postgres exited:\n${output}`);
        const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1_000 });
        client.on('error', () => undefined);
        await client.connect();
        await client.end();
        return true;
      },
      'the test Postgres to accept connections',
      30_000,
      100,
    );
  const stop = async (): Promise<void> => {
    await halt('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  };
  const restart = async (options: { kill?: boolean; downMs?: number } = {}): Promise<void> => {
    await halt(options.kill ? 'SIGKILL' : 'SIGINT');
    if (options.downMs) await new Promise((resolve) => setTimeout(resolve, options.downMs));
    current = launch();
    await ready();
  };
  try {
    await ready();
  } catch (e) {
    await stop();
    throw e;
  }
  return { adminUrl, output: () => output, restart, stop };
}
