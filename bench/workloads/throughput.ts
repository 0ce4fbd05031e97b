import type { BenchContext } from '../context';
import { epochMs, runPool, withDeadline } from '../harness/clock';
import { timedExecution } from '../harness/executions';
import { diamondGraph } from '../harness/graphs';
import { benchPool } from '../harness/pg-pool';
import { percentile } from '../stats';

const W = 'W2 throughput';

/** Executions per second, p50 and p99 latency of one batch. */
interface Batch {
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Workload 2: 1,000 executions of the five-node diamond with 200 in flight, next to LangGraph.js
 * running the same diamond in-process at the same concurrency. Completion comes from the bus
 * (CompletionTap), so the client holds no socket per execution. The CPU each process spends per
 * execution is recorded too: on 2 shared cores it names the bottleneck.
 */
export async function throughput(ctx: BenchContext, workflowId: string): Promise<void> {
  const { executions, inFlight, warmup } = ctx.sizes.w2;
  const deadline = ctx.sizes.deadlineMs;
  await runPool(warmup, inFlight, async () => void (await timedExecution(ctx.platform, workflowId, deadline)));
  if (ctx.peer) {
    await ctx.peer.diamond(warmup, inFlight, 'postgres', deadline);
    await ctx.peer.diamond(warmup, inFlight, 'none', deadline);
  }

  const ours: Batch[] = [];
  const projectionLag: number[] = [];
  const saver: Batch[] = [];
  const none: Batch[] = [];
  const cpu: Array<Record<string, number>> = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    ctx.platform.tap.reset();
    const stop = await ctx.cpu.start();
    const began = new Date();
    ours.push(await flowstackBatch(ctx, workflowId, executions, inFlight));
    cpu.push(await stop());
    projectionLag.push(await historyLagP99(ctx, began));
    if (ctx.peer) {
      for (const [list, checkpointer] of [
        [saver, 'postgres'],
        [none, 'none'],
      ] as const) {
        const { latenciesMs, elapsedMs } = await ctx.peer.diamond(executions, inFlight, checkpointer, deadline);
        list.push({
          perSecond: (executions * 1000) / elapsedMs,
          p50: percentile(latenciesMs, 50),
          p99: percentile(latenciesMs, 99),
        });
      }
    }
    ctx.log(
      `  run ${run + 1}: ${ours[run].perSecond.toFixed(0)} exec/s, p50 ${ours[run].p50.toFixed(0)} ms, p99 ${ours[run].p99.toFixed(0)} ms` +
        `, history projection lag p99 ${projectionLag[run].toFixed(0)} ms` +
        (ctx.peer
          ? ` (LangGraph+PostgresSaver ${saver[run].perSecond.toFixed(0)}/s, no checkpointer ${none[run].perSecond.toFixed(0)}/s)`
          : ''),
    );
  }

  const rec = ctx.rec;
  const shape = `${executions} diamonds, ${inFlight} in flight`;
  rec.add(
    W,
    'w2.flowstack.perSecond',
    `Flowstack (${shape})`,
    'exec/s',
    ours.map((b) => b.perSecond),
  );
  rec.add(
    W,
    'w2.flowstack.p50',
    'Flowstack execution latency p50',
    'ms',
    ours.map((b) => b.p50),
    'start request -> terminal event; queueing included',
  );
  rec.add(
    W,
    'w2.flowstack.p99',
    'Flowstack execution latency p99',
    'ms',
    ours.map((b) => b.p99),
  );
  rec.add(
    W,
    'w2.historyLag.p99',
    'History projection lag p99',
    'ms',
    projectionLag,
    'terminal event recorded -> its history row updated',
  );
  if (ctx.peer) {
    rec.add(
      W,
      'w2.langgraphPostgres.perSecond',
      'LangGraph.js + PostgresSaver',
      'exec/s',
      saver.map((b) => b.perSecond),
    );
    rec.add(
      W,
      'w2.langgraphPostgres.p99',
      'LangGraph.js + PostgresSaver latency p99',
      'ms',
      saver.map((b) => b.p99),
    );
    rec.add(
      W,
      'w2.langgraphNone.perSecond',
      'LangGraph.js, no checkpointer',
      'exec/s',
      none.map((b) => b.perSecond),
    );
    rec.add(
      W,
      'w2.ratio.vsLangGraphPostgres',
      'Flowstack / LangGraph+PostgresSaver',
      'ratio',
      ours.map((b, i) => b.perSecond / saver[i].perSecond),
    );
    rec.add(
      W,
      'w2.ratio.vsLangGraphNone',
      'Flowstack / LangGraph no checkpointer',
      'ratio',
      ours.map((b, i) => b.perSecond / none[i].perSecond),
    );
  }
  for (const part of Object.keys(cpu[0])) {
    rec.add(
      W,
      `w2.cpuMsPerExecution.${part}`,
      `CPU per execution: ${part}`,
      'ms',
      cpu.map((c) => c[part] / executions),
    );
  }
}

async function flowstackBatch(ctx: BenchContext, workflowId: string, executions: number, inFlight: number): Promise<Batch> {
  const latencies: number[] = [];
  const began = epochMs();
  await withDeadline(
    runPool(
      executions,
      inFlight,
      async () => void latencies.push(await timedExecution(ctx.platform, workflowId, ctx.sizes.deadlineMs)),
    ),
    ctx.sizes.deadlineMs,
    `${executions} diamond executions`,
  );
  const elapsed = epochMs() - began;
  return { perSecond: (executions * 1000) / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * p99 over the batch's executions of (history row last changed - terminal event recorded): how far
 * the history projection trails the log. Waits (bounded) for the projection to reach the batch.
 */
async function historyLagP99(ctx: BenchContext, since: Date): Promise<number> {
  const pool = benchPool(ctx.platform.databaseUrl, 1);
  try {
    const query = `
      SELECT count(*) FILTER (WHERE h.id IS NULL OR h.finished_at IS NULL)::int AS behind,
        coalesce(percentile_cont(0.99) WITHIN GROUP (
          ORDER BY extract(epoch FROM h.projected_at - e.recorded_at) * 1000), 0) AS p99
      FROM event_store.events e
      LEFT JOIN orchestrator.execution_history h ON 'execution-' || h.id = e.stream_id
      WHERE e.type IN ('ExecutionCompleted', 'ExecutionFailed', 'ExecutionCancelled') AND e.recorded_at >= $1`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await pool.query<{ behind: number; p99: number }>(query, [since]);
      if (rows[0].behind === 0 || Date.now() > deadline) return Number(rows[0].p99);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await pool.end();
  }
}

/** Workload 2's workflow, created once. */
export const createDiamondWorkflow = (ctx: BenchContext): Promise<string> =>
  ctx.platform.api.createWorkflow('bench: diamond', diamondGraph());
