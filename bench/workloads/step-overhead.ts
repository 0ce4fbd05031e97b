import type { BenchContext } from '../context';
import { lineGraph } from '../harness/graphs';
import { timedExecution } from '../harness/executions';
import { median } from '../stats';

const W = 'W1 step overhead';

/**
 * Workload 1: a 50-node line, one execution at a time: milliseconds per node from the start
 * request to the terminal event, next to LangGraph.js running the same line in-process with
 * PostgresSaver and with no checkpointer. Each run is a batch of executions (its figure is the
 * batch's median); runs of the three alternate, so the ratios compare neighbours in time.
 */
export async function stepOverhead(ctx: BenchContext, workflowId: string): Promise<void> {
  const { nodes, executionsPerRun, warmup } = ctx.sizes.w1;
  const deadline = ctx.sizes.deadlineMs;
  // Warm both sides up first (JIT, connection pools, prepared statements): cold starts are not steady state.
  for (let i = 0; i < warmup; i++) await timedExecution(ctx.platform, workflowId, deadline);
  if (ctx.peer) {
    await ctx.peer.line(nodes, warmup, 'postgres', deadline);
    await ctx.peer.line(nodes, warmup, 'none', deadline);
  }

  const ours: number[] = [];
  const withSaver: number[] = [];
  const without: number[] = [];
  const ratioSaver: number[] = [];
  const ratioNone: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const latencies: number[] = [];
    for (let i = 0; i < executionsPerRun; i++) latencies.push(await timedExecution(ctx.platform, workflowId, deadline));
    ours.push(median(latencies) / nodes);
    if (ctx.peer) {
      withSaver.push(median((await ctx.peer.line(nodes, executionsPerRun, 'postgres', deadline)).latenciesMs) / nodes);
      without.push(median((await ctx.peer.line(nodes, executionsPerRun, 'none', deadline)).latenciesMs) / nodes);
      ratioSaver.push(ours[run] / withSaver[run]);
      ratioNone.push(ours[run] / without[run]);
    }
    ctx.log(
      `  run ${run + 1}: ${ours[run].toFixed(3)} ms/node${ctx.peer ? ` (LangGraph+PostgresSaver ${withSaver[run].toFixed(3)}, no checkpointer ${without[run].toFixed(3)})` : ''}`,
    );
  }
  const rec = ctx.rec;
  rec.add(
    W,
    'w1.flowstack.msPerNode',
    `Flowstack, ${nodes}-node line`,
    'ms/node',
    ours,
    'start request -> terminal event on the bus',
  );
  if (ctx.peer) {
    rec.add(W, 'w1.langgraphPostgres.msPerNode', 'LangGraph.js + PostgresSaver', 'ms/node', withSaver);
    rec.add(W, 'w1.langgraphNone.msPerNode', 'LangGraph.js, no checkpointer', 'ms/node', without);
    rec.add(W, 'w1.ratio.vsLangGraphPostgres', 'Flowstack / LangGraph+PostgresSaver', 'ratio', ratioSaver);
    rec.add(W, 'w1.ratio.vsLangGraphNone', 'Flowstack / LangGraph no checkpointer', 'ratio', ratioNone);
  }
}

/** Workload 1's workflow, created once. */
export const createLineWorkflow = (ctx: BenchContext): Promise<string> =>
  ctx.platform.api.createWorkflow('bench: line', lineGraph(ctx.sizes.w1.nodes));
