import { HttpTarget } from '@flowstack/testing';
import type { BenchContext } from '../context';
import { ApiClient } from '../harness/api-client';
import { epochMs, runPool } from '../harness/clock';
import { percentile } from '../stats';

const W = 'W12 fairness';

/** The running limit the orchestrator gets for this workload: a few slots, so the rest queue. */
export const W12_MAX_RUNNING = 20;

/**
 * Workload 12: per-workspace fairness. Workspace B runs a one-step workflow (input -> http -> out)
 * `probes` times, `inFlight` at once, and what is measured is start-to-first-step: from just
 * before `POST /executions` to the moment the http node's request reaches the local server (the
 * first step doing its work). Then workspace A fills its running slots with runs parked at a human
 * gate and queues `queued` more behind them, and B is measured again. The figure is B's p99 with
 * A's queue over B's p99 alone (target: at most 1.10). The orchestrator runs with
 * `ORCHESTRATOR_WORKSPACE_MAX_RUNNING=20` here (restarted for it), so the queue is real.
 */
export async function fairness(ctx: BenchContext): Promise<void> {
  const { queued, probes, inFlight } = ctx.sizes.w12;
  const { platform } = ctx;
  await platform.replaceOrchestrator({ ORCHESTRATOR_WORKSPACE_MAX_RUNNING: String(W12_MAX_RUNNING) });

  const arrived = new Map<string, number>();
  const target = await new HttpTarget()
    .route('POST', '/first', (req) => {
      arrived.set((JSON.parse(req.body) as { id: string }).id, epochMs());
      target.received.length = 0;
      return { json: { ok: true } };
    })
    .start();
  const stopTarget = ctx.cleanup.add('fairness workload HTTP target', () => target.stop());

  const b = platform.api;
  const probe = await b.createWorkflow('bench: fairness probe', {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      {
        id: 'first',
        type: 'tool',
        config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/first`, body: { id: '{{ execution.id }}' } } },
      },
      { id: 'out', type: 'output', config: { value: 'ok' } },
    ],
    edges: [
      { from: 'in', to: 'first' },
      { from: 'first', to: 'out' },
    ],
  });

  /** B's start-to-first-step latencies over `count` runs. */
  const measure = async (count: number): Promise<number[]> => {
    const samples: number[] = [];
    await runPool(count, inFlight, async () => {
      const began = epochMs();
      const id = await b.startExecution(probe, { n: 1 });
      const done = await platform.tap.completion(id, ctx.sizes.deadlineMs);
      if (done.status !== 'completed') throw new Error(`fairness probe ${id} ${done.status}`);
      const at = arrived.get(id);
      if (at === undefined) throw new Error(`fairness probe ${id}: the first step never reached the server`);
      samples.push(at - began);
      arrived.delete(id);
    });
    return samples;
  };

  await measure(Math.min(probes, 50)); // warm-up (the orchestrator was just restarted)
  const alone: number[] = [];
  const loaded: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) alone.push(percentile(await measure(probes), 99));

  // Workspace A: every slot held at a gate, then `queued` runs behind them.
  const a = new ApiClient(platform.platform.baseUrl);
  await a.register();
  const gated = await a.createWorkflow('bench: fairness hog', {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'gate', type: 'human_gate', config: { prompt: 'hold' } },
      { id: 'out', type: 'output', config: { value: 'ok' } },
    ],
    edges: [
      { from: 'in', to: 'gate' },
      { from: 'gate', to: 'out', when: 'approved' },
    ],
  });
  const queueBegan = epochMs();
  let pending = 0;
  await runPool(W12_MAX_RUNNING + queued, 20, async () => {
    const res = await a.post<{ status: string }>(`/api/v1/workflows/${gated}/executions`, { input: {} }, 202);
    if (res.status === 'pending') pending++;
  });
  const queueMs = epochMs() - queueBegan;
  if (pending !== queued) throw new Error(`expected ${queued} queued runs in workspace A, found ${pending}`);
  ctx.log(`  workspace A: ${W12_MAX_RUNNING} runs at the gate, ${pending} queued (${queueMs.toFixed(0)} ms to start them all)`);

  for (let run = 0; run < ctx.sizes.reps; run++) loaded.push(percentile(await measure(probes), 99));
  for (let run = 0; run < ctx.sizes.reps; run++) {
    ctx.log(
      `  run ${run + 1}: B start-to-first-step p99 ${alone[run].toFixed(1)} ms alone, ${loaded[run].toFixed(1)} ms with A's queue`,
    );
  }
  await stopTarget();

  const shape = `${probes} runs of B, ${inFlight} in flight; A holds ${W12_MAX_RUNNING} running + ${queued} queued`;
  ctx.rec.add(W, 'w12.alone.p99', 'B start-to-first-step p99, A idle', 'ms', alone, shape);
  ctx.rec.add(W, 'w12.loaded.p99', `B start-to-first-step p99, A with ${queued} queued`, 'ms', loaded);
  ctx.rec.add(
    W,
    'w12.ratio.loadedVsAlone',
    'B p99 with A queued / alone',
    'x',
    loaded.map((l, i) => l / alone[i]),
    'target at most 1.10',
  );
}
