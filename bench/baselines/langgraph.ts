import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createTestDatabase } from '@flowstack/testing';
import type { Cleanup } from '../cleanup';
import { withDeadline } from '../harness/clock';

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_DIR = path.join(ROOT, 'bench/langgraph');
const WORKER = path.join(PACKAGE_DIR, 'src/worker.ts');

export type Checkpointer = 'postgres' | 'none';

/** What the worker answers for a batch of invocations (mirrors bench/langgraph/src/worker.ts). */
export interface PeerRun {
  latenciesMs: number[];
  elapsedMs: number;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

/**
 * LangGraph.js as the benchmark's peer: a child process (bench/langgraph/src/worker.ts) that runs
 * the same graphs in-process, with PostgresSaver on the same Postgres (a database of its own) or
 * with no checkpointer. It lives in a package of its own so the platform's install stays clean;
 * its dependencies are installed on first use.
 */
export class LangGraphPeer {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Reply) => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** The database PostgresSaver writes to (its backends' CPU is LangGraph's). */
    readonly databaseName: string,
  ) {
    child.on('message', (reply: Reply) => {
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async start(cleanup: Cleanup): Promise<LangGraphPeer> {
    ensureInstalled();
    const db = await createTestDatabase('bench_langgraph');
    cleanup.add('LangGraph database', () => db.drop());
    const child = fork(WORKER, [], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanup.add('LangGraph worker', async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`LangGraph worker exited (${code}) before it was ready`)));
    });
    await withDeadline(ready, 30_000, 'LangGraph worker start');
    const peer = new LangGraphPeer(child, new URL(db.url).pathname.slice(1));
    await peer.call({ type: 'init', databaseUrl: db.url }, 30_000);
    return peer;
  }

  /** The worker's process id (for CPU metering). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** `executions` runs of an n-node line, one at a time. */
  line(nodes: number, executions: number, checkpointer: Checkpointer, timeoutMs: number): Promise<PeerRun> {
    return this.call(
      { type: 'line', nodes, executions, concurrency: 1, checkpointer, timeoutMs },
      timeoutMs + 5_000,
    ) as Promise<PeerRun>;
  }

  /** `executions` runs of the five-node diamond, `concurrency` in flight. */
  diamond(executions: number, concurrency: number, checkpointer: Checkpointer, timeoutMs: number): Promise<PeerRun> {
    return this.call(
      { type: 'diamond', nodes: 5, executions, concurrency, checkpointer, timeoutMs },
      timeoutMs + 5_000,
    ) as Promise<PeerRun>;
  }

  private async call(job: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve) => this.pending.set(id, resolve));
    this.child.send({ ...job, id });
    const answer = await withDeadline(reply, timeoutMs, `LangGraph ${String(job.type)}`);
    if (answer.error) throw new Error(`LangGraph worker: ${answer.error}`);
    return answer.result;
  }
}

/**
 * Installs bench/langgraph's dependencies when they are missing, with npm running on the repo's
 * Node 24 (`npx -c` puts node_modules/.bin first on PATH, so npm picks versions by Node 24's
 * engines) and `--legacy-peer-deps` (the LangGraph packages' peer ranges do not meet here).
 */
function ensureInstalled(): void {
  if (existsSync(path.join(PACKAGE_DIR, 'node_modules/@langchain/langgraph/package.json'))) return;
  console.log('Installing the LangGraph.js peer in bench/langgraph (first run only)...');
  const install = spawnSync(
    'npx',
    ['-c', 'cd bench/langgraph && npm install --legacy-peer-deps --no-audit --no-fund --loglevel=error'],
    {
      cwd: ROOT,
      stdio: 'inherit',
      timeout: 300_000,
    },
  );
  if (install.status !== 0)
    throw new Error('npm install in bench/langgraph failed; run with --no-langgraph to skip the baselines');
}
