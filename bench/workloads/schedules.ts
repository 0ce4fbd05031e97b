import type { Pool } from 'pg';
import type { BenchContext } from '../context';
import { epochMs } from '../harness/clock';
import { benchPool } from '../harness/pg-pool';
import { percentile } from '../stats';

const W = 'W11 schedules';

/** Time zones of the cron burst: whole, half and quarter hour offsets, both hemispheres' daylight saving. */
const CRON_ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'Asia/Seoul',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Sydney',
  'Australia/Adelaide',
  'Pacific/Auckland',
  'Africa/Nairobi',
  'Asia/Singapore',
  'America/St_Johns',
  'Europe/Istanbul',
  'Asia/Dubai',
  'America/Mexico_City',
  'Pacific/Honolulu',
];

/**
 * A pattern, one of four shapes by `i` (every minute, hourly, daily, weekly), whose slots in `zone`
 * include each of `slots` (consecutive whole minutes) and none between them.
 */
function cronPatternAt(slots: number[], zone: string, i: number): { cron: string; zone: string } {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    minute: 'numeric',
    hour: 'numeric',
    weekday: 'short',
  });
  const local = slots.map((slot) => {
    const parts = format.formatToParts(new Date(slot));
    const part = (type: string) => parts.find((p) => p.type === type)!.value;
    return {
      minute: Number(part('minute')),
      hour: Number(part('hour')),
      weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(part('weekday')),
    };
  });
  // Lists of the minutes, hours and weekdays the slots fall on: within a few minutes their other
  // combinations fall an hour or a day away, outside the burst.
  const list = (of: (l: (typeof local)[number]) => number) => [...new Set(local.map(of))].sort((x, y) => x - y).join(',');
  const [minutes, hours, weekdays] = [list((l) => l.minute), list((l) => l.hour), list((l) => l.weekday)];
  const shapes = ['* * * * *', `${minutes} * * * *`, `${minutes} ${hours} * * *`, `${minutes} ${hours} * * ${weekdays}`];
  return { cron: shapes[Math.floor(i / CRON_ZONES.length) % shapes.length], zone };
}

/** Creates `count` things 20 at a time (what a busy API client does); resolves with their ids. */
async function createMany(count: number, create: () => Promise<string>): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < count) {
        next++;
        ids.push(await create());
      }
    }),
  );
  return ids;
}

interface Burst {
  startedP50: number;
  startedP99: number;
  /** When the append of `ExecutionStarted` began (its `recorded_at`): the run is durable soon after. */
  recordedP99: number;
  claimedP99: number;
  spanMs: number;
}

/** Waits until every schedule of `ids` fired at `slot` and its run started; reads how late. */
async function measureBurst(pg: Pool, ids: string[], slot: number, deadline: number): Promise<Burst> {
  let rows: Array<{ fired_at: Date; started_at: string | null; recorded_at: Date | null }> = [];
  for (;;) {
    ({ rows } = await pg.query<{ fired_at: Date; started_at: string | null; recorded_at: Date | null }>(
      `SELECT f.fired_at, e.data->>'startedAt' AS started_at, e.recorded_at
         FROM scheduler.schedule_fires f
         LEFT JOIN event_store.events e ON e.stream_id = 'execution-' || f.execution_id AND e.stream_position = 1
        WHERE f.schedule_id = ANY($1::uuid[]) AND f.slot = $2`,
      [`{${ids.join(',')}}`, new Date(slot)],
    ));
    if (rows.length === ids.length && rows.every((r) => r.started_at)) break;
    if (epochMs() > deadline) throw new Error(`W11: ${rows.length} of ${ids.length} fires recorded by the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const startLate = rows.map((r) => Date.parse(r.started_at!) - slot);
  const claimLate = rows.map((r) => r.fired_at.getTime() - slot);
  return {
    startedP50: percentile(startLate, 50),
    startedP99: percentile(startLate, 99),
    recordedP99: percentile(
      rows.map((r) => r.recorded_at!.getTime() - slot),
      99,
    ),
    claimedP99: percentile(claimLate, 99),
    spanMs: Math.max(...startLate) - Math.min(...startLate),
  };
}

function describeBurst(count: number, b: Burst): string {
  return (
    `${count} fires, started lateness p50 ${b.startedP50.toFixed(0)} ms, p99 ${b.startedP99.toFixed(0)} ms, ` +
    `recorded p99 ${b.recordedP99.toFixed(0)} ms, claim p99 ${b.claimedP99.toFixed(0)} ms, ${((count * 1000) / Math.max(1, b.spanMs)).toFixed(0)} starts/s`
  );
}

/**
 * Workload 11: many schedules due at the same instant, and idle schedules.
 *
 * - Burst: `schedules` one-shot schedules (created through the API, parked an hour ahead, then
 *   moved together to one instant a few seconds ahead: how long the creates take on a loaded
 *   machine then never decides whether the run can happen). Measured from the scheduler's and the
 *   orchestrator's records: fire lateness = `ExecutionStarted.startedAt - slot` (when the run
 *   began), the event's `recorded_at - slot` (when its append began), and the fire record's
 *   `fired_at - slot` (when the scheduler claimed it). Target: p99 under 100 ms for 1,000.
 * - Cron burst: as many cron schedules of 80 patterns (four shapes in 20 time zones) due in each
 *   of `cronReps` consecutive minutes; the first minute is the first fire of patterns the
 *   scheduler has not seen. Same target.
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
  const recorded: number[] = [];
  const claimed: number[] = [];
  const spans: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const at = new Date(epochMs() + 3_600_000).toISOString();
    const ids = await createMany(count, () => api.createSchedule({ workflowId, kind: 'once', at, input: {} }));
    // One instant on a whole second, more than a poll interval (1 s) ahead so the loop sees it in time.
    const slot = Math.ceil((epochMs() + 3000) / 1000) * 1000;
    await pg.query(`UPDATE scheduler.schedules SET at = $2, next_fire_at = $2 WHERE id = ANY($1::uuid[])`, [
      `{${ids.join(',')}}`,
      new Date(slot),
    ]);
    if (epochMs() >= slot - 1000) throw new Error(`W11: moving ${count} schedules to their slot took too long`);
    const burst = await measureBurst(pg, ids, slot, slot + ctx.sizes.deadlineMs);
    started.push(burst.startedP99);
    recorded.push(burst.recordedP99);
    claimed.push(burst.claimedP99);
    spans.push(burst.spanMs);
    ctx.log(`  run ${run + 1}: ${describeBurst(count, burst)}`);
  }

  // Cron: schedules due in the same minute with patterns of their own, as many tenants' schedules
  // are (every minute, hourly, daily and on weekdays, in the time zones of CRON_ZONES), firing in
  // `cronReps` consecutive minutes. The first minute is the first fire of patterns the scheduler
  // has not seen (as after a deploy); the next ones are its steady state.
  const cronStarted: number[] = [];
  const { cronReps } = ctx.sizes.w11;
  if (cronReps > 0) {
    const ids = await createMany(count, () =>
      api.createSchedule({ workflowId, kind: 'cron', cron: '0 0 1 1 *', timezone: 'UTC', input: {} }),
    );
    // Cron slots fall on whole minutes: the next one at least 3 s ahead, then the minutes after it.
    const first = Math.ceil((epochMs() + 3000) / 60_000) * 60_000;
    const slots = Array.from({ length: cronReps }, (_, r) => first + r * 60_000);
    const patterns = ids.map((_, i) => cronPatternAt(slots, CRON_ZONES[i % CRON_ZONES.length], i));
    // Each cursor somewhere in the minute before the first slot (where its last fire or its
    // creation left it), with that slot as its next fire: as the scheduler itself leaves a row.
    await pg.query(
      `UPDATE scheduler.schedules s SET cron = p.cron, timezone = p.zone, next_fire_at = $2,
              fire_cursor = $2::timestamptz - p.back * interval '1 millisecond'
         FROM unnest($1::uuid[], $3::text[], $4::text[], $5::int[]) AS p(id, cron, zone, back)
        WHERE s.id = p.id`,
      [
        `{${ids.join(',')}}`,
        new Date(first),
        patterns.map((p) => p.cron),
        patterns.map((p) => p.zone),
        ids.map((_, i) => 1000 + ((i * 7919) % 55_000)),
      ],
    );
    if (epochMs() >= first - 1000) throw new Error(`W11: moving ${count} cron schedules to their slot took too long`);
    const distinct = new Set(patterns.map((p) => `${p.zone} ${p.cron}`)).size;
    for (const [run, slot] of slots.entries()) {
      const burst = await measureBurst(pg, ids, slot, slot + ctx.sizes.deadlineMs);
      cronStarted.push(burst.startedP99);
      ctx.log(
        `  cron minute ${run + 1} (${distinct} distinct patterns${run === 0 ? ', first fire' : ''}): ${describeBurst(count, burst)}`,
      );
    }
    // Parked, so that they do not fire every minute for the rest of the bench.
    await pg.query(`UPDATE scheduler.schedules SET enabled = false WHERE id = ANY($1::uuid[])`, [`{${ids.join(',')}}`]);
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
  rec.add(W, 'w11.recordedLateness.p99', "start recorded p99 (its event's recorded_at - slot)", 'ms', recorded, 'per run');
  rec.add(W, 'w11.claimLateness.p99', 'claim lateness p99 (the fire record: fired_at - slot)', 'ms', claimed, 'per run');
  rec.add(
    W,
    'w11.startsPerSecond',
    'runs started per second during the burst',
    '1/s',
    spans.map((s) => (count * 1000) / Math.max(1, s)),
  );
  if (cronStarted.length > 0) {
    rec.add(
      W,
      'w11.cronLateness.p99',
      `fire lateness p99, ${count} cron schedules due in one minute`,
      'ms',
      cronStarted,
      'per minute',
    );
    rec.add(
      W,
      'w11.cronFirstLateness.p99',
      'of which the first minute (patterns the scheduler has not seen)',
      'ms',
      cronStarted.slice(0, 1),
    );
  }

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
