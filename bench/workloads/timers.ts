import { HttpTarget } from '@flowstack/testing';
import type { BenchContext } from '../context';
import { epochMs } from '../harness/clock';
import { percentile } from '../stats';

const W = 'W7 timers';

/**
 * Workload 7: durable timers under a steady arrival rate. Each execution waits on a `delay` node,
 * then calls a local HTTP server whose first answer per execution is a 503, so its retry policy
 * (100 ms) fires a second timer: two timers per execution. Executions start at `ratePerSecond`;
 * what is measured, from the recorded `TimerFired` events, is how late each timer fired after its
 * `dueAt` (the firing decision's clock: the append that schedules the attempt follows it) and how
 * many timers fired per second over the run.
 */
export async function timers(ctx: BenchContext): Promise<void> {
  const { executions, ratePerSecond, delaySeconds } = ctx.sizes.w7;
  const { api, tap } = ctx.platform;
  const seen = new Set<string>();
  const target = await new HttpTarget()
    .route('POST', '/fail-first', (req) => {
      const key = (JSON.parse(req.body) as { key: string }).key;
      target.received.length = 0;
      if (seen.has(key)) return { json: { ok: true } };
      seen.add(key);
      return { status: 503, json: { busy: true } };
    })
    .start();
  const stopTarget = ctx.cleanup.add('timer workload HTTP target', () => target.stop());
  const workflowId = await api.createWorkflow('bench: timers', {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'wait', type: 'delay', config: { seconds: delaySeconds } },
      {
        id: 'call',
        type: 'tool',
        config: {
          tool: { kind: 'http', method: 'POST', url: `${target.url}/fail-first`, body: { key: '{{ execution.id }}' } },
          retry: { maxAttempts: 3, initialIntervalMs: 100 },
        },
      },
      { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
    ],
    edges: [
      { from: 'in', to: 'wait' },
      { from: 'wait', to: 'call' },
      { from: 'call', to: 'out' },
    ],
  });

  const p50: number[] = [];
  const p99: number[] = [];
  const perSecond: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    tap.reset();
    const began = epochMs();
    const ids = await Promise.all(
      Array.from({ length: executions }, async (_, i) => {
        const wait = began + (i * 1000) / ratePerSecond - epochMs();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const executionId = await api.startExecution(workflowId, { n: i });
        const done = await tap.completion(executionId, ctx.sizes.deadlineMs);
        if (done.status !== 'completed') throw new Error(`timer execution ${executionId} ${done.status}`);
        return executionId;
      }),
    );
    const fired: Array<{ dueAt: number; firedAt: number }> = [];
    for (const id of ids) {
      for (const e of await api.getEvents(id)) {
        if (e.type !== 'TimerFired') continue;
        fired.push({ dueAt: Date.parse(String(e.data.dueAt)), firedAt: Date.parse(String(e.data.firedAt)) });
      }
    }
    if (fired.length !== executions * 2) throw new Error(`expected ${executions * 2} timers fired, found ${fired.length}`);
    const late = fired.map((f) => f.firedAt - f.dueAt);
    const span = Math.max(...fired.map((f) => f.firedAt)) - Math.min(...fired.map((f) => f.dueAt));
    p50.push(percentile(late, 50));
    p99.push(percentile(late, 99));
    perSecond.push((fired.length * 1000) / Math.max(1, span));
    ctx.log(
      `  run ${run + 1}: ${fired.length} timers, ${perSecond[run].toFixed(0)}/s, lateness p50 ${percentile(late, 50).toFixed(1)} ms, p99 ${percentile(late, 99).toFixed(1)} ms`,
    );
  }
  await stopTarget();
  const rec = ctx.rec;
  rec.add(W, 'w7.timers.perSecond', `timers fired per second (${ratePerSecond} executions/s, 2 timers each)`, '1/s', perSecond);
  rec.add(W, 'w7.lateness.p50', 'timer lateness p50 (TimerFired.firedAt - dueAt)', 'ms', p50);
  rec.add(W, 'w7.lateness.p99', 'timer lateness p99', 'ms', p99, 'per run');
}
