import type { BenchContext } from '../context';
import { CpuMeter } from '../harness/cpu-meter';
import { remoteLineGraph } from '../harness/graphs';
import { timedExecution } from '../harness/executions';
import { median } from '../stats';

const W = 'W9 remote steps';

/**
 * Workload 8 (issue 9): a fairer step cost than W1. W1's transforms are decided inline, one commit
 * per execution; here every node between the ends is a `builtin` `noop` tool node, so each one is a
 * durable remote step: NodeScheduled appended, a task on WORK, a tool-runner runs it, its result on
 * RESULTS, NodeCompleted appended. LangGraph.js + PostgresSaver (a checkpoint per step) runs the
 * same line next to it. Figures: ms per node, and CPU per node by process (each service, the
 * Postgres backends of each side's database, NATS, LangGraph's worker), which says where the time
 * goes.
 */
export async function remoteSteps(ctx: BenchContext): Promise<void> {
  const { nodes, executionsPerRun, warmup } = ctx.sizes.w9;
  const deadline = ctx.sizes.deadlineMs;
  const workflowId = await ctx.platform.api.createWorkflow('bench: remote line', remoteLineGraph(nodes));
  for (let i = 0; i < warmup; i++) await timedExecution(ctx.platform, workflowId, deadline);
  const peer = ctx.peer;
  const peerCpu = peer ? new CpuMeter([{ label: 'langgraph-worker', pids: () => [peer.pid] }], peer.databaseName) : undefined;
  const closePeerCpu = peerCpu ? ctx.cleanup.add('LangGraph CPU meter', () => peerCpu.close()) : undefined;
  if (peer) await peer.line(nodes, warmup, 'postgres', deadline);

  const ours: number[] = [];
  const theirs: number[] = [];
  const ratio: number[] = [];
  const ourCpu: Record<string, number[]> = {};
  const theirCpu: Record<string, number[]> = {};
  const perNode = (spent: Record<string, number>, into: Record<string, number[]>, count: number): number => {
    let total = 0;
    for (const [label, ms] of Object.entries(spent)) {
      (into[label] ??= []).push(ms / count);
      total += ms;
    }
    return total / count;
  };
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const latencies: number[] = [];
    const stop = await ctx.cpu.start();
    for (let i = 0; i < executionsPerRun; i++) latencies.push(await timedExecution(ctx.platform, workflowId, deadline));
    const cpuOurs = perNode(await stop(), ourCpu, executionsPerRun * nodes);
    ours.push(median(latencies) / nodes);
    let note = '';
    if (peer && peerCpu) {
      const stopPeer = await peerCpu.start();
      const { latenciesMs } = await peer.line(nodes, executionsPerRun, 'postgres', deadline);
      const spent = await stopPeer();
      // The bench process only waits for the worker's answer: not LangGraph's cost.
      delete spent.bench;
      const cpuTheirs = perNode(spent, theirCpu, executionsPerRun * nodes);
      theirs.push(median(latenciesMs) / nodes);
      ratio.push(ours[run] / theirs[run]);
      note = ` (LangGraph+PostgresSaver ${theirs[run].toFixed(3)} ms/node, CPU ${cpuTheirs.toFixed(3)} ms/node)`;
    }
    ctx.log(`  run ${run + 1}: ${ours[run].toFixed(3)} ms/node, CPU ${cpuOurs.toFixed(3)} ms/node${note}`);
  }
  await closePeerCpu?.();

  const rec = ctx.rec;
  rec.add(
    W,
    'w9.flowstack.msPerNode',
    `Flowstack, ${nodes}-node line of builtin noop tool nodes`,
    'ms/node',
    ours,
    'start request -> terminal event; every node a WORK task and a RESULTS message',
  );
  for (const [label, values] of Object.entries(ourCpu)) {
    rec.add(W, `w9.flowstack.cpuPerNode.${label}`, `  CPU per node: ${label}`, 'ms/node', values);
  }
  if (peer) {
    rec.add(W, 'w9.langgraphPostgres.msPerNode', 'LangGraph.js + PostgresSaver, same line', 'ms/node', theirs);
    for (const [label, values] of Object.entries(theirCpu)) {
      rec.add(W, `w9.langgraphPostgres.cpuPerNode.${label}`, `  CPU per node: ${label}`, 'ms/node', values);
    }
    rec.add(W, 'w9.ratio.vsLangGraphPostgres', 'Flowstack / LangGraph+PostgresSaver', 'ratio', ratio);
  }
}
