import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { Rpc, type RequestContext, type ScheduleView } from '@flowstack/contracts';
import { connectNats, RpcClient } from '@flowstack/messaging';
import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  startService,
  TEST_NATS_URL,
  waitFor,
  type ServiceProcess,
  type TestDatabase,
} from '@flowstack/testing';
import { createOneStepWorkflow } from './one-step-workflow';
import { fireExecutionId, slotsBetween } from '../src/domain';
import { timingOf } from '../src/schedules/schedule.timing';

jest.setTimeout(300_000);

/** The scheduler replicas' shared clock runs this much faster than real time. */
const SPEED = 20;
/** Clock time the schedules run for, once created, before the chaos stops (6 minutes, 18 s of real time). */
const RUN_MS = 6 * 60_000;
const SCHEDULES = 200;
const REPLICAS = 3;
/** A replica is killed (SIGKILL) and replaced after every this many new fires. */
const FIRES_PER_KILL = 40;

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];

/**
 * Exactly once under chaos: three scheduler processes on one compressed clock fire 200 schedules
 * while replicas are killed with SIGKILL mid-round and replaced. Afterwards every (schedule, slot)
 * up to the end of the run has exactly one fire, each fire's execution id is the derived one, and
 * the orchestrator (a real process, like the registry) holds exactly one execution per fire and
 * none besides.
 */
describe('the fire loop with replicas killed at random', () => {
  let db: TestDatabase;
  const ns = randomNamespace('schedfire');
  const processes: ServiceProcess[] = [];
  let nc: NatsConnection | undefined;
  let sql: Pool;

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await nc?.close();
    await sql?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  it('fires every slot of 200 schedules once: 0 duplicates, 0 misses', async () => {
    db = await createTestDatabase('schedfire');
    sql = new Pool({ connectionString: db.url, max: 2 });
    sql.on('error', () => undefined);
    const realStart = Date.now();
    const clockStart = realStart;
    const clockNow = (): number => clockStart + (Date.now() - realStart) * SPEED;
    const env = { DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix, NATS_URL: TEST_NATS_URL, RELAY_INTERVAL_MS: '500' };
    const schedulerEnv = {
      ...env,
      SCHEDULER_TEST_CLOCK: `${realStart}:${clockStart}:${SPEED}`,
      SCHEDULER_POLL_MS: '50',
      SCHEDULER_BATCH: '20',
    };
    // Migrations first, one at a time; then the other replicas.
    processes.push(await startService('registry', env), await startService('orchestrator', env));
    const replicas: ServiceProcess[] = [await startService('scheduler', schedulerEnv)];
    replicas.push(...(await Promise.all(Array.from({ length: REPLICAS - 1 }, () => startService('scheduler', schedulerEnv)))));
    processes.push(...replicas);

    nc = await connectNats({ url: TEST_NATS_URL, name: 'scheduler-int-spec' });
    const rpc = new RpcClient(nc, ns);
    const workspaceId = randomUUID();
    const ctx = (): RequestContext => ({
      workspaceId,
      actor: { id: randomUUID(), type: 'user', role: 'editor' },
      correlationId: randomUUID(),
    });
    const workflowId = await createOneStepWorkflow(rpc, ctx(), 'tick', 'tick');
    const missed = { policy: 'catch_up', maxRuns: 100, windowSeconds: 86_400 };
    const schedules: ScheduleView[] = [];
    for (let i = 0; i < SCHEDULES; i += 20) {
      schedules.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, SCHEDULES - i) }, (_, j) => {
            const n = i + j;
            const timing =
              n % 4 === 0
                ? { kind: 'cron', cron: '* * * * *', timezone: ZONES[n % ZONES.length] }
                : { kind: 'interval', everySeconds: [30, 45, 60, 90][n % 4] };
            return rpc.request<ScheduleView>(
              Rpc.scheduler.scheduleCreate,
              { workflowId, ...timing, input: { n }, missed },
              ctx(),
            );
          }),
        )),
      );
    }
    const end = new Date(clockNow() + RUN_MS);

    // Chaos: after every FIRES_PER_KILL new fires, SIGKILL a random live replica and start its
    // replacement in the background (starting takes seconds, so at times every replica is down).
    const fireCount = async (): Promise<number> =>
      Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM scheduler.schedule_fires')).rows[0].n);
    const live = new Set(replicas);
    const restarts: Promise<void>[] = [];
    let kills = 0;
    while (clockNow() < end.getTime()) {
      const before = await fireCount();
      await waitFor(
        async () => clockNow() >= end.getTime() || (live.size > 0 && (await fireCount()) >= before + FIRES_PER_KILL),
        'more fires',
        60_000,
      );
      if (clockNow() >= end.getTime()) break;
      const victim = [...live][Math.floor(Math.random() * live.size)];
      live.delete(victim);
      await victim.kill();
      kills++;
      restarts.push(
        startService('scheduler', schedulerEnv).then((replacement) => {
          processes.push(replacement);
          live.add(replacement);
        }),
      );
    }
    await Promise.all(restarts);
    expect(kills).toBeGreaterThanOrEqual(5);

    // Every schedule has decided every slot up to the end of the run.
    await waitFor(
      async () =>
        Number(
          (await sql.query<{ n: string }>('SELECT count(*) AS n FROM scheduler.schedules WHERE fire_cursor < $1', [end])).rows[0]
            .n,
        ) === 0,
      'every schedule past the end of the run',
      60_000,
    );
    await Promise.all([...live].map((r) => r.stop()));

    const { rows: stored } = await sql.query<{
      id: string;
      kind: 'cron' | 'interval';
      cron: string | null;
      timezone: string | null;
      every_seconds: number | null;
      anchor: Date | null;
      created_at: Date;
    }>('SELECT id, kind, cron, timezone, every_seconds, anchor, created_at FROM scheduler.schedules');
    const { rows: fires } = await sql.query<{ schedule_id: string; slot: Date; execution_id: string; outcome: string }>(
      'SELECT schedule_id, slot, execution_id, outcome FROM scheduler.schedule_fires',
    );
    const firesOf = new Map<string, { slot: Date; execution_id: string; outcome: string }[]>();
    for (const f of fires) firesOf.set(f.schedule_id, [...(firesOf.get(f.schedule_id) ?? []), f]);

    let expectedTotal = 0;
    const problems: string[] = [];
    for (const s of stored) {
      const timing = timingOf({
        kind: s.kind,
        cron: s.cron,
        timezone: s.timezone,
        everySeconds: s.every_seconds,
        anchor: s.anchor,
      });
      const expected = slotsBetween(timing, s.created_at, end).map((d) => d.toISOString());
      expectedTotal += expected.length;
      const got = (firesOf.get(s.id) ?? []).filter((f) => f.slot <= end).map((f) => f.slot.toISOString());
      const missing = expected.filter((slot) => !got.includes(slot));
      const extra = got.filter((slot) => !expected.includes(slot));
      if (missing.length || extra.length) problems.push(`${s.id}: missing ${missing.join(',')} extra ${extra.join(',')}`);
    }
    expect(problems).toEqual([]);
    expect(expectedTotal).toBeGreaterThan(1000);
    for (const f of fires) {
      expect(f.outcome).toBe('started');
      expect(f.execution_id).toBe(fireExecutionId(f.schedule_id, f.slot));
    }

    // The orchestrator: exactly one execution per fire, and no execution that is not a fire's.
    const { rows: started } = await sql.query<{ stream_id: string; n: string }>(
      `SELECT stream_id, count(*) AS n FROM event_store.events WHERE type = 'ExecutionStarted' GROUP BY stream_id`,
    );
    expect(started.filter((r) => r.n !== '1')).toEqual([]);
    expect(started.map((r) => r.stream_id).sort()).toEqual(fires.map((f) => `execution-${f.execution_id}`).sort());

    // Every schedule's creation is an audit event on its own stream.
    const { rows: audit } = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE type = 'ScheduleCreated' AND stream_id LIKE 'schedule-%'`,
    );
    expect(Number(audit[0].n)).toBe(SCHEDULES);

    process.stdout.write(`fire-loop chaos: ${kills} kills, ${fires.length} fires, ${expectedTotal} slots up to the end\n`);

    // What makes a retried fire harmless: a start under an id that exists answers that execution.
    const [fire] = fires;
    const again = await rpc.request<{ executionId: string }>(
      Rpc.orchestrator.executionStart,
      { workflowId, input: { other: true }, executionId: fire.execution_id, trigger: { type: 'schedule' } },
      ctx(),
    );
    expect(again.executionId).toBe(fire.execution_id);
    const fresh = randomUUID();
    const first = await rpc.request<{ executionId: string }>(
      Rpc.orchestrator.executionStart,
      { workflowId, input: {}, executionId: fresh },
      ctx(),
    );
    expect(first.executionId).toBe(fresh);
    const { rows: count } = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM event_store.events WHERE type = 'ExecutionStarted' AND stream_id = ANY($1)`,
      [[`execution-${fire.execution_id}`, `execution-${fresh}`]],
    );
    expect(Number(count[0].n)).toBe(2);
    // Another workspace cannot start (nor read) an execution under an id that is taken.
    const stranger: RequestContext = { ...ctx(), workspaceId: randomUUID() };
    await expect(
      rpc.request(Rpc.orchestrator.executionStart, { workflowId, input: {}, executionId: fresh }, stranger),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      rpc.request(Rpc.orchestrator.executionStart, { workflowId, input: {}, executionId: 'not-a-uuid' }, ctx()),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
