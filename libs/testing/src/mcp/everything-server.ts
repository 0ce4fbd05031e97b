import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { freePort } from '../service-process';
import { waitFor } from '../wait-for';

/** `node <this> stdio`: the entry of `@modelcontextprotocol/server-everything` (the reference MCP server). */
export const EVERYTHING_SERVER_ENTRY = join(
  dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')),
  'dist',
  'index.js',
);

/**
 * `@modelcontextprotocol/server-everything` on a free loopback port, as its own process: over
 * streamable HTTP (`node dist/index.js streamableHttp`, `PORT`, path `/mcp`) or, with `'sse'`,
 * over the older HTTP+SSE transport (path `/sse`).
 */
export class EverythingServer {
  private child?: ChildProcess;
  port = 0;

  constructor(private readonly transport: 'streamableHttp' | 'sse' = 'streamableHttp') {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.transport === 'sse' ? 'sse' : 'mcp'}`;
  }

  async start(): Promise<this> {
    this.port = await freePort();
    let log = '';
    this.child = spawn(process.execPath, [EVERYTHING_SERVER_ENTRY, this.transport], {
      env: { PATH: process.env.PATH ?? '', PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitFor(
      () => (/listening on port|running on port/i.test(log) ? true : undefined),
      'server-everything to listen',
      20_000,
      50,
    );
    return this;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
