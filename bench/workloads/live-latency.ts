import type { BenchContext } from '../context';
import { runPool } from '../harness/clock';
import { httpToolGraph } from '../harness/graphs';
import type { SlowTarget } from '../harness/slow-target';
import { BusSightings } from '../harness/bus-sightings';
import { watchExecution } from '../harness/ws-watch';
import { percentile } from '../stats';

const W = 'W3 live latency';

/**
 * Workload 3: 100 concurrent executions, each watched by a WebSocket client: how long after an
 * event's commit it reaches the client. An execution of transforms only is over before its start
 * request answers (inline nodes are decided in the start's own append), so nothing would be live;
 * these executions call a local HTTP server that answers after `toolDelayMs`, and what is measured
 * is the events committed after the client's socket opened (the tool's result and everything it
 * unblocks), timestamped by the gateway's `at` (Postgres `now()` of the appending transaction,
 * in ms: a little before the commit, so the figure slightly overstates the latency).
 */
export async function liveLatency(ctx: BenchContext, target: SlowTarget): Promise<void> {
  const { executions, toolDelayMs } = ctx.sizes.w3;
  const { api, platform, tap } = ctx.platform;
  const workflowId = await api.createWorkflow('bench: live', httpToolGraph(target.url(toolDelayMs), { transformAfter: true }));
  const p50: number[] = [];
  const p99: number[] = [];
  const liveCount: number[] = [];
  const writerP99: number[] = [];
  const gatewayP99: number[] = [];
  const bus = new BusSightings(ctx.platform.nc, ctx.platform.ns);
  const closeBus = ctx.cleanup.add('bus sightings', () => Promise.resolve(bus.close()));
  /** One round: `executions` started at once, each watched; the live events' latencies. */
  const measure = async () => {
    tap.reset();
    bus.clear();
    const samples: number[] = [];
    const writer: number[] = [];
    const gateway: number[] = [];
    let history = 0;
    await runPool(executions, executions, async () => {
      const executionId = await api.startExecution(workflowId, { n: 1 });
      const { openedAt, arrivals } = await watchExecution(platform.wsUrl, executionId, api.bearer, ctx.sizes.deadlineMs);
      for (const a of arrivals) {
        if (a.at <= openedAt) {
          history++;
          continue;
        }
        samples.push(a.arrivedAt - a.at);
        const published = bus.at(executionId, a.seq);
        if (published !== undefined) {
          writer.push(published - a.at);
          gateway.push(a.arrivedAt - published);
        }
      }
      if (arrivals.at(-1)?.type !== 'execution_complete') throw new Error(`execution ${executionId}: no execution_complete`);
    });
    return { samples, writer, gateway, history };
  };
  // An untimed round first, as the other workloads warm up: the gateway's socket path and the
  // watch code run cold otherwise, and the first round's tail is the JIT's, not the platform's.
  await measure();
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const { samples, writer, gateway, history } = await measure();
    if (samples.length === 0) throw new Error('no live events: every socket opened after its execution finished');
    p50.push(percentile(samples, 50));
    p99.push(percentile(samples, 99));
    liveCount.push(samples.length);
    writerP99.push(percentile(writer, 99));
    gatewayP99.push(percentile(gateway, 99));
    ctx.log(
      `  run ${run + 1}: p50 ${p50[run].toFixed(1)} ms, p99 ${p99[run].toFixed(1)} ms over ${samples.length} live events (${history} from history); ` +
        `p99 commit -> bus ${writerP99[run].toFixed(1)} ms, bus -> client ${gatewayP99[run].toFixed(1)} ms`,
    );
  }
  await closeBus();
  const note = `${executions} executions at once, each with its own socket; tool answers after ${toolDelayMs} ms`;
  ctx.rec.add(W, 'w3.commitToClient.p50', 'commit -> WebSocket client p50', 'ms', p50, note);
  ctx.rec.add(W, 'w3.commitToClient.p99', 'commit -> WebSocket client p99', 'ms', p99);
  ctx.rec.add(
    W,
    'w3.commitToBus.p99',
    '  of which commit -> published on the bus, p99',
    'ms',
    writerP99,
    'the orchestrator: commit, then publish',
  );
  ctx.rec.add(
    W,
    'w3.busToClient.p99',
    '  of which bus -> WebSocket client, p99',
    'ms',
    gatewayP99,
    'JetStream, the gateway, the socket',
  );
  ctx.rec.add(
    W,
    'w3.liveEvents',
    'live events measured per run',
    'events',
    liveCount,
    'events committed after the socket opened; earlier ones come from history and are not counted',
  );
}
