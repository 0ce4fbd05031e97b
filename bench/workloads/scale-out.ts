import { availableParallelism } from 'node:os';
import { jetstreamManager } from '@nats-io/jetstream';
import { streamName } from '@flowstack/contracts';
import type { ServiceProcess } from '@flowstack/testing';
import type { BenchContext } from '../context';
import { epochMs, runPool, withDeadline } from '../harness/clock';
import { httpToolGraph } from '../harness/graphs';
import { machineBusyMs } from '../harness/process-stats';
import type { SlowTarget } from '../harness/slow-target';

const W = 'W5 scale-out';

/**
 * Workload 5: 500 executions whose node is an http tool call to a local server answering after
 * 50 ms, drained by one tool-runner process, then by two. The executions are started while the
 * runners are paused (SIGSTOP), so the 500 tasks wait on WORK and the runners start together
 * (SIGCONT) on the same backlog: what is timed is the runners draining it and the orchestrator
 * recording the results, not the start requests. The slow server counts the calls open at once,
 * which is how many tasks the runners hold in flight. The second runner is started (and warmed up
 * on an untimed drain) and stopped around each two-runner run, so one- and two-runner runs alternate.
 */
export async function scaleOut(ctx: BenchContext, target: SlowTarget, workflowId: string): Promise<void> {
  const { executions, toolDelayMs } = ctx.sizes.w5;
  const runs = await oneThenTwo(ctx, target, workflowId, {});
  ctx.rec.add(
    W,
    'w5.oneRunner.perSecond',
    'one tool-runner',
    'exec/s',
    runs.one,
    `${executions} executions, tool answers after ${toolDelayMs} ms, drained from a backlog`,
  );
  ctx.rec.add(W, 'w5.twoRunners.perSecond', 'two tool-runners', 'exec/s', runs.two);
  ctx.rec.add(W, 'w5.ratio.twoVsOne', 'two runners / one', 'ratio', runs.ratio);
  ctx.rec.add(
    W,
    'w5.oneRunner.peakInFlight',
    'tool calls one runner has open at once (peak)',
    'tasks',
    runs.peak,
    'counted by the HTTP server',
  );
  ctx.rec.add(
    W,
    'w5.oneRunner.peakHeld',
    'tasks one runner holds (peak)',
    'tasks',
    runs.held,
    'WORK consumer ack-pending, sampled every 20 ms',
  );
  recordBusyCores(ctx, 'w5', '', runs);
  for (const part of Object.keys(runs.cpu[0])) {
    const values = runs.cpu.map((c) => c[part] / executions);
    ctx.rec.add(W, `w5.cpuMsPerExecution.${part}`, `CPU per execution (one runner): ${part}`, 'ms', values);
  }
}

/**
 * The same drains with runners that are the bottleneck: each limited to `concurrency` tasks, so
 * one runner carries at most concurrency / 50 ms executions/s, well below what the orchestrator
 * records. It shows whether adding a runner adds capacity when capacity is the runner's (the
 * default runner is not the bottleneck on this machine). The primary runner is replaced by one
 * with that setting for these runs, and stays so (this comes last).
 */
export async function scaleOutRunnerBound(
  ctx: BenchContext,
  target: SlowTarget,
  workflowId: string,
  concurrency: number,
): Promise<void> {
  const env = { TOOL_RUNNER_CONCURRENCY: String(concurrency) };
  await ctx.platform.replaceToolRunner(env);
  await drain(ctx, workflowId, [ctx.platform.service('tool-runner')], target, ctx.sizes.w5.warmup);
  const runs = await oneThenTwo(ctx, target, workflowId, env);
  const note = `TOOL_RUNNER_CONCURRENCY=${concurrency}: at most ${Math.round((concurrency * 1000) / ctx.sizes.w5.toolDelayMs)} executions/s per runner`;
  ctx.rec.add(W, 'w5.runnerBound.oneRunner.perSecond', `runner-bound: one tool-runner`, 'exec/s', runs.one, note);
  ctx.rec.add(W, 'w5.runnerBound.twoRunners.perSecond', 'runner-bound: two tool-runners', 'exec/s', runs.two);
  ctx.rec.add(W, 'w5.runnerBound.ratio.twoVsOne', 'runner-bound: two runners / one', 'ratio', runs.ratio);
  recordBusyCores(ctx, 'w5.runnerBound', 'runner-bound: ', runs);
}

/** How many cores the whole machine kept busy while the runners drained: the box's own limit. */
function recordBusyCores(ctx: BenchContext, key: string, label: string, runs: Drains): void {
  const note = `of ${availableParallelism()}, whole machine, during the timed drain`;
  ctx.rec.add(W, `${key}.oneRunner.busyCores`, `${label}cores busy, one runner`, 'cores', runs.busyOne, note);
  ctx.rec.add(W, `${key}.twoRunners.busyCores`, `${label}cores busy, two runners`, 'cores', runs.busyTwo);
}

interface Drains {
  one: number[];
  two: number[];
  ratio: number[];
  peak: number[];
  held: number[];
  busyOne: number[];
  busyTwo: number[];
  cpu: Array<Record<string, number>>;
}

/** `reps` times: a drain by the running tool-runner, then by it and a second one (`env`). */
async function oneThenTwo(
  ctx: BenchContext,
  target: SlowTarget,
  workflowId: string,
  env: Record<string, string>,
): Promise<Drains> {
  const bench = ctx.platform;
  const d: Drains = { one: [], two: [], ratio: [], peak: [], held: [], busyOne: [], busyTwo: [], cpu: [] };
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const stop = await ctx.cpu.start();
    const single = await drain(ctx, workflowId, [bench.service('tool-runner')], target);
    d.cpu.push(await stop());
    d.one.push(single.perSecond);
    d.busyOne.push(single.busyCores);
    d.peak.push(single.peak);
    d.held.push(single.held);
    const second = await bench.addToolRunner(env);
    try {
      const both = [bench.service('tool-runner'), second];
      // The new process warms up (JIT, connections) on an untimed drain, as the first one did on
      // the workloads before: otherwise half the timed work runs on cold code.
      await drain(ctx, workflowId, both, target, ctx.sizes.w5.warmup);
      const double = await drain(ctx, workflowId, both, target);
      d.two.push(double.perSecond);
      d.busyTwo.push(double.busyCores);
    } finally {
      await second.stop();
    }
    d.ratio.push(d.two[run] / d.one[run]);
    ctx.log(
      `  run ${run + 1}: one runner ${d.one[run].toFixed(0)} exec/s (${single.peak} calls open at once, ${single.held} tasks held), two ${d.two[run].toFixed(0)} exec/s`,
    );
  }
  return d;
}

/** Workload 5's workflow: input -> http tool call -> output. */
export const createToolCallWorkflow = (ctx: BenchContext, target: SlowTarget): Promise<string> =>
  ctx.platform.api.createWorkflow(
    'bench: tool call',
    httpToolGraph(target.url(ctx.sizes.w5.toolDelayMs), { transformAfter: false }),
  );

async function drain(
  ctx: BenchContext,
  workflowId: string,
  runners: ServiceProcess[],
  target: SlowTarget,
  executions = ctx.sizes.w5.executions,
): Promise<{ perSecond: number; peak: number; held: number; busyCores: number }> {
  const { api, tap } = ctx.platform;
  tap.reset();
  const held = sampleHeldTasks(ctx);
  const signal = (sig: NodeJS.Signals): void => void runners.forEach((r) => r.child.kill(sig));
  signal('SIGSTOP');
  // Never leave a runner paused, whatever happens (a paused process ignores SIGTERM).
  const resume = ctx.cleanup.add('resume paused tool-runners', () => Promise.resolve(signal('SIGCONT')));
  let ids: string[] = [];
  try {
    await runPool(executions, 50, async (i) => void (ids[i] = await api.startExecution(workflowId, { n: i })));
  } finally {
    await resume();
  }
  const began = epochMs();
  const busyBefore = machineBusyMs();
  target.takePeak();
  const done = await withDeadline(
    Promise.all(ids.map((id) => tap.completion(id, ctx.sizes.deadlineMs))),
    ctx.sizes.deadlineMs,
    `${executions} tool-call executions`,
  );
  const busyCores = (machineBusyMs() - busyBefore) / (epochMs() - began);
  const ended = Math.max(...done.map((d) => d.at));
  const failed = done.filter((d) => d.status !== 'completed').length;
  if (failed) throw new Error(`${failed} tool-call executions failed`);
  ids = [];
  return {
    perSecond: (executions * 1000) / (ended - began),
    peak: target.takePeak(),
    held: await held.stop(),
    busyCores,
  };
}

/**
 * Samples how many WORK tasks are delivered and not yet acked (held by the runners) every 20 ms
 * until stopped: a gauge, read while the drain runs, capped by the run's deadline.
 */
function sampleHeldTasks(ctx: BenchContext): { stop: () => Promise<number> } {
  const stream = streamName(ctx.platform.ns, 'WORK');
  let peak = 0;
  let running = true;
  const deadline = Date.now() + ctx.sizes.deadlineMs;
  const loop = (async () => {
    const jsm = await jetstreamManager(ctx.platform.nc);
    while (running && Date.now() < deadline) {
      const info = await jsm.consumers.info(stream, 'tool-runner');
      peak = Math.max(peak, info.num_ack_pending);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}
