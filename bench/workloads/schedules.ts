import type { BenchContext } from '../context';
import { epochMs } from '../harness/clock';
import { benchPool } from '../harness/pg-pool';
import { percentile } from '../stats';

const W = 'W11 schedules';

/**
 * Workload 8: many schedules due at the same instant, and idle schedules.
 *
 * - Burst: `schedules` one-shot schedules (created through the API, parked an hour ahead, then
 *   moved together to one instant a few seconds ahead: how long the creates take on a loaded
 *   machine then never decides whether the run can happen). Measured from the scheduler's and the orchestrator's records: fire lateness =
 *   `ExecutionStarted.startedAt - slot` (when the run really began), and the fire record's
 *   `fired_at - slot` (when the scheduler claimed it). Target: p99 under 100 ms for 1,000.
 * - Idle: `idleSchedules` enabled cron schedules due next year (inserted directly, like a
 *   workspace that has them), then the scheduler's CPU time over `idleSeconds` with nothing due.
 */
export async function schedules(ctx: BenchContext): Promise<void> {
  const { schedules: count, idleSchedules, idleSeconds } = ctx.sizes.w11;
  const { api } = ctx.platform;
  const pg = benchPool(ctx.platform.databaseUrl, 2);
  const closePg = ctx.cleanup.add('W11 pool', () => pg.end());
  const workflowId = await api.createWorkflow('bench: scheduled', {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      { id: 'out', type: 'output', config: { value: 'fired' } },
    ],
    edges: [{ from: 'in', to: 'out' }],
  });

  const started: number[] = [];
  const claimed: number[] = [];
  const spans: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const at = new Date(epochMs() + 3_600_000).toISOString();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < count) {
          next++;
          ids.push(await api.createSchedule({ workflowId, kind: 'once', at, input: {} }));
        }
      }),
    );
    // One instant on a whole second, more than a poll interval (1 s) ahead so the loop sees it in time.
    const slot = Math.ceil((epochMs() + 3000) / 1000) * 1000;
    await pg.query(`UPDATE scheduler.schedules SET at = $2, next_fire_at = $2 WHERE id = ANY($1::uuid[])`, [
      `{${ids.join(',')}}`,
      new Date(slot),
    ]);
    if (epochMs() >= slot - 1000) throw new Error(`W11: moving ${count} schedules to their slot took too long`);
    const deadline = slot + ctx.sizes.deadlineMs;
    let rows: Array<{ fired_at: Date; started_at: string | null }> = [];
    for (;;) {
      ({ rows } = await pg.query<{ fired_at: Date; started_at: string | null }>(
        `SELECT f.fired_at, e.data->>'startedAt' AS started_at
           FROM scheduler.schedule_fires f
           LEFT JOIN event_store.events e ON e.stream_id = 'execution-' || f.execution_id AND e.stream_position = 1
          WHERE f.schedule_id = ANY($1::uuid[])`,
        [`{${ids.join(',')}}`],
      ));
      if (rows.length === count && rows.every((r) => r.started_at)) break;
      if (epochMs() > deadline) throw new Error(`W11: ${rows.length} of ${count} fires recorded by the deadline`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const startLate = rows.map((r) => Date.parse(r.started_at!) - slot);
    const claimLate = rows.map((r) => r.fired_at.getTime() - slot);
    started.push(percentile(startLate, 99));
    claimed.push(percentile(claimLate, 99));
    spans.push(Math.max(...startLate) - Math.min(...startLate));
    ctx.log(
      `  run ${run + 1}: ${count} fires, started lateness p50 ${percentile(startLate, 50).toFixed(0)} ms, p99 ${percentile(startLate, 99).toFixed(0)} ms, ` +
        `claim p99 ${percentile(claimLate, 99).toFixed(0)} ms, ${((count * 1000) / Math.max(1, spans[run])).toFixed(0)} starts/s`,
    );
  }
  const rec = ctx.rec;
  rec.add(
    W,
    'w11.lateness.p99',
    `fire lateness p99, ${count} schedules due at once (ExecutionStarted.startedAt - slot)`,
    'ms',
    started,
    'per run',
  );
  rec.add(W, 'w11.claimLateness.p99', 'claim lateness p99 (the fire record: fired_at - slot)', 'ms', claimed, 'per run');
  rec.add(
    W,
    'w11.startsPerSecond',
    'runs started per second during the burst',
    '1/s',
    spans.map((s) => (count * 1000) / Math.max(1, s)),
  );

  // Idle: schedules that are enabled but not due cost no CPU (one loop per replica, no timer each).
  const workspace = (await pg.query<{ workspace_id: string }>(`SELECT workspace_id FROM scheduler.schedules LIMIT 1`)).rows[0]
    .workspace_id;
  await pg.query(
    `INSERT INTO scheduler.schedules (id, workspace_id, workflow_id, kind, cron, timezone, input, enabled, missed_policy, overlap,
                                      fire_cursor, next_fire_at, created_by, created_at, updated_at)
     SELECT gen_random_uuid(), $1, $2, 'cron', '0 0 1 1 *', 'UTC', '{}', true, 'run_once', 'allow',
            now(), date_trunc('year', now()) + interval '1 year', 'bench', now(), now()
       FROM generate_series(1, $3)`,
    [workspace, workflowId, idleSchedules],
  );
  const pid = ctx.platform.service('scheduler').child.pid!;
  const stop = await ctx.cpu.start([{ label: 'scheduler', pids: () => Promise.resolve([pid]) }]);
  const began = epochMs();
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const spent = await stop();
  const seconds = (epochMs() - began) / 1000;
  const cpuMs = (spent.scheduler ?? 0) / seconds;
  ctx.log(`  idle with ${idleSchedules} enabled schedules: scheduler ${cpuMs.toFixed(1)} ms CPU per second`);
  rec.add(W, 'w11.idleCpuMsPerSecond', `scheduler CPU while idle with ${idleSchedules} enabled schedules`, 'ms/s', [cpuMs]);
  await pg.query(`DELETE FROM scheduler.schedules WHERE created_by = 'bench'`);
  await closePg();
}
