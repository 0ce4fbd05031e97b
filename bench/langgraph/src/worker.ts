import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import { diamondGraph, lineGraph, type CompiledShape } from './graphs';

/**
 * The LangGraph.js peer as a child process the benchmark drives over IPC: it keeps its compiled
 * graphs and its Postgres pool between jobs, so repetitions can interleave with Flowstack's in
 * the same run without paying start-up again. The protocol types are mirrored in
 * ../../baselines/langgraph.ts (this package is type-checked on its own: its deps are optional).
 */

type Checkpointer = 'postgres' | 'none';

interface Job {
  id: number;
  type: 'init' | 'line' | 'diamond' | 'close';
  databaseUrl?: string;
  checkpointer?: Checkpointer;
  nodes?: number;
  executions?: number;
  concurrency?: number;
  timeoutMs?: number;
}

interface JobResult {
  /** Latency of each invocation, ms. */
  latenciesMs: number[];
  /** First invocation started -> last one returned, ms. */
  elapsedMs: number;
}

/** Same as the orchestrator's default pool, so neither side wins by connection count. */
const POOL_SIZE = 16;

let pool: pg.Pool | undefined;
let saver: PostgresSaver | undefined;
const graphs = new Map<string, CompiledShape>();

function graphFor(job: Job): CompiledShape {
  const key = `${job.type}:${job.nodes ?? 0}:${job.checkpointer}`;
  let graph = graphs.get(key);
  if (!graph) {
    const checkpointer = job.checkpointer === 'postgres' ? saver : undefined;
    if (job.checkpointer === 'postgres' && !checkpointer) throw new Error('init with a databaseUrl first');
    graph = job.type === 'line' ? lineGraph(job.nodes ?? 50, checkpointer) : diamondGraph(checkpointer);
    graphs.set(key, graph);
  }
  return graph;
}

/** Runs `executions` invocations, `concurrency` at a time, each on a thread of its own. */
async function run(job: Job): Promise<JobResult> {
  const graph = graphFor(job);
  const total = job.executions ?? 1;
  const deadline = Date.now() + (job.timeoutMs ?? 120_000);
  const latenciesMs: number[] = [];
  let next = 0;
  const began = performance.now();
  const lane = async (): Promise<void> => {
    while (next < total) {
      if (Date.now() > deadline) throw new Error(`langgraph ${job.type} exceeded ${job.timeoutMs} ms`);
      next++;
      const t0 = performance.now();
      // One superstep per node at most, plus slack: LangGraph's default limit of 25 stops a 50-node line.
      await graph.invoke(
        { input: { n: next } },
        { configurable: { thread_id: randomUUID() }, recursionLimit: (job.nodes ?? 5) + 10 },
      );
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(job.concurrency ?? 1, total) }, lane));
  return { latenciesMs, elapsedMs: performance.now() - began };
}

async function handle(job: Job): Promise<unknown> {
  switch (job.type) {
    case 'init':
      pool = new pg.Pool({ connectionString: job.databaseUrl, max: POOL_SIZE });
      saver = new PostgresSaver(pool);
      await saver.setup();
      return { ok: true };
    case 'line':
    case 'diamond':
      return run(job);
    case 'close':
      await pool?.end();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

process.on('message', (job: Job) => {
  handle(job).then(
    (result) => process.send?.({ id: job.id, result }),
    (error: unknown) =>
      process.send?.({ id: job.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
// The parent going away (even by SIGKILL) closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0));
process.send?.({ id: 0, result: { ready: true } });
