import { startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

/** The scheduler's clock runs this many times faster than real time: a 10 s interval fires every second. */
const SPEED = 10;

const graph = {
  entry_point: 'start',
  nodes: [
    { id: 'start', type: 'input', config: {} },
    { id: 'end', type: 'output', config: { value: 'done' } },
  ],
  edges: [{ from: 'start', to: 'end' }],
};

/**
 * Schedules end to end through the gateway, with the scheduler process on a compressed clock:
 * created schedules fire and their history names the executions, pause stops fires and resume
 * restarts them, `next` lists upcoming slots, bad timings are 400s naming the field, and another
 * workspace's schedules and workflows are 404s.
 */
describe('schedules', () => {
  let platform: TestPlatform;
  let alice: Tenant;
  let bob: Tenant;
  let aliceWorkflow: string;
  let bobWorkflow: string;
  let clockStart = 0;
  /** The scheduler's time now. */
  const schedulerNow = (): number => clockStart + (Date.now() - clockStart) * SPEED;

  beforeAll(async () => {
    const now = Date.now();
    clockStart = now;
    platform = await startPlatform({
      label: 'schedules',
      serviceEnv: { scheduler: { SCHEDULER_TEST_CLOCK: `${now}:${now}:${SPEED}`, SCHEDULER_POLL_MS: '100' } },
    });
    const api = new ApiClient(platform.baseUrl);
    [alice, bob] = await Promise.all([registerTenant(api, 'sched-alice'), registerTenant(api, 'sched-bob')]);
    aliceWorkflow = await createWorkflow(alice.client, 'scheduled', graph);
    bobWorkflow = await createWorkflow(bob.client, 'bobs', graph);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const history = async (client: ApiClient, id: string): Promise<any[]> => {
    const res = await client.get(`/api/v1/schedules/${id}/history?limit=200`);
    expect(res.status).toBe(200);
    return res.body.items;
  };

  const createInterval = async (extra: Record<string, unknown> = {}) => {
    const res = await alice.client.post('/api/v1/schedules', {
      workflowId: aliceWorkflow,
      kind: 'interval',
      everySeconds: 10,
      input: { from: 'schedule' },
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body;
  };

  it('fires an interval schedule: the history names executions the orchestrator ran with a schedule trigger', async () => {
    const schedule = await createInterval();
    expect(schedule).toMatchObject({ kind: 'interval', everySeconds: 10, enabled: true, version: 'latest', overlap: 'allow' });
    expect(schedule.missed.policy).toBe('run_once');
    const fires = await waitFor(
      async () => {
        const items = await history(alice.client, schedule.id);
        return items.length >= 2 && items;
      },
      'two fires of the interval schedule',
      30_000,
    );
    const [latest, earlier] = fires;
    expect(latest.outcome).toBe('started');
    expect(Date.parse(latest.slot) - Date.parse(earlier.slot)).toBe(10_000);
    const execution = await waitFor(async () => {
      const res = await alice.client.get(`/api/v1/executions/${latest.executionId}`);
      return res.status === 200 && res.body.status === 'completed' && res.body;
    }, 'the fired execution to complete');
    expect(execution.input).toEqual({ from: 'schedule' });
    const events = await alice.client.get(`/api/v1/executions/${latest.executionId}/events`);
    expect(events.body.items[0]).toMatchObject({
      type: 'ExecutionStarted',
      data: { trigger: { type: 'schedule', by: schedule.id } },
    });
  });

  it('fires a cron schedule in its time zone', async () => {
    const res = await alice.client.post('/api/v1/schedules', {
      workflowId: aliceWorkflow,
      kind: 'cron',
      cron: '* * * * *',
      timezone: 'Europe/Berlin',
    });
    expect(res.status).toBe(201);
    expect(res.body.timezone).toBe('Europe/Berlin');
    const [fire] = await waitFor(
      async () => {
        const items = await history(alice.client, res.body.id);
        return items.length >= 1 && items;
      },
      'a fire of the cron schedule',
      30_000,
    );
    expect(fire.outcome).toBe('started');
    expect(new Date(fire.slot).getUTCSeconds()).toBe(0);
  });

  it('fires a one-shot once, then has no next fire', async () => {
    const res = await alice.client.post('/api/v1/schedules', {
      workflowId: aliceWorkflow,
      kind: 'once',
      at: new Date(schedulerNow() + 30_000).toISOString(),
    });
    expect(res.status).toBe(201);
    const [fire] = await waitFor(
      async () => {
        const items = await history(alice.client, res.body.id);
        return items.length >= 1 && items;
      },
      'the one-shot to fire',
      30_000,
    );
    expect(fire).toMatchObject({ slot: res.body.at, outcome: 'started' });
    const after = await waitFor(async () => {
      const got = await alice.client.get(`/api/v1/schedules/${res.body.id}`);
      return got.body.nextFireAt === null && got.body;
    }, 'no next fire');
    expect(after.enabled).toBe(true);
    expect((await alice.client.get(`/api/v1/schedules/${res.body.id}/next`)).body.times).toEqual([]);
    expect(await history(alice.client, res.body.id)).toHaveLength(1);
  });

  it('next lists the upcoming slots', async () => {
    const schedule = await createInterval();
    const res = await alice.client.get(`/api/v1/schedules/${schedule.id}/next?count=5`);
    expect(res.status).toBe(200);
    const times = res.body.times.map((t: string) => Date.parse(t));
    expect(times).toHaveLength(5);
    for (let i = 1; i < 5; i++) expect(times[i] - times[i - 1]).toBe(10_000);
    expect((times[0] - Date.parse(schedule.anchor)) % 10_000).toBe(0);
    const cron = await alice.client.post('/api/v1/schedules', {
      workflowId: aliceWorkflow,
      kind: 'cron',
      cron: '30 2 * * *',
      timezone: 'America/New_York',
    });
    const next = await alice.client.get(`/api/v1/schedules/${cron.body.id}/next?count=3`);
    expect(next.body.times).toHaveLength(3);
    for (const t of next.body.times)
      expect(new Date(t).toLocaleTimeString('en-GB', { timeZone: 'America/New_York' })).toBe('02:30:00');
    expect((await alice.client.get(`/api/v1/schedules/${schedule.id}/next?count=0`)).status).toBe(400);
  });

  it('pause stops the fires and resume restarts them', async () => {
    const schedule = await createInterval();
    await waitFor(async () => (await history(alice.client, schedule.id)).length >= 1, 'a first fire', 30_000);
    const paused = await alice.client.post(`/api/v1/schedules/${schedule.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ enabled: false, nextFireAt: null });
    const before = (await history(alice.client, schedule.id)).length;
    // A schedule with the same timing created now: once it has fired three times, the paused one
    // has passed at least two slots of its own.
    const control = await createInterval();
    await waitFor(async () => (await history(alice.client, control.id)).length >= 3, 'three fires of the control', 30_000);
    expect(await history(alice.client, schedule.id)).toHaveLength(before);
    const resumed = await alice.client.post(`/api/v1/schedules/${schedule.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.enabled).toBe(true);
    expect(resumed.body.nextFireAt).not.toBeNull();
    await waitFor(async () => (await history(alice.client, schedule.id)).length > before, 'a fire after resume', 30_000);
  });

  describe('overlap with a run that outlasts the interval', () => {
    /** A run takes 2.5 s of real time: 25 s of the scheduler's clock, two and a half intervals. */
    let slowWorkflow: string;
    beforeAll(async () => {
      slowWorkflow = await createWorkflow(alice.client, 'slow', {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'wait', type: 'delay', config: { seconds: 2.5 } },
          { id: 'out', type: 'output', config: { value: 'slow' } },
        ],
        edges: [
          { from: 'in', to: 'wait' },
          { from: 'wait', to: 'out' },
        ],
      });
    });

    /** The started fires' executions, oldest first, once they have finished. */
    const runsOf = async (fires: any[]) => {
      const started = fires.filter((f) => f.outcome === 'started').reverse();
      return Promise.all(
        started.map((f) =>
          waitFor(async () => {
            const res = await alice.client.get(`/api/v1/executions/${f.executionId}`);
            return res.status === 200 && res.body.finishedAt && res.body;
          }, `execution ${f.executionId} to finish`),
        ),
      );
    };
    const expectSequential = (runs: any[]) => {
      for (let i = 1; i < runs.length; i++)
        expect(Date.parse(runs[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(runs[i - 1].finishedAt));
    };

    it('skip: a fire while the previous run is going starts nothing', async () => {
      const schedule = await createInterval({ workflowId: slowWorkflow, overlap: 'skip' });
      const fires = await waitFor(
        async () => {
          const items = await history(alice.client, schedule.id);
          return items.filter((f) => f.outcome === 'started').length >= 2 && items;
        },
        'two started fires',
        60_000,
      );
      await alice.client.post(`/api/v1/schedules/${schedule.id}/pause`);
      expect(fires.filter((f: any) => f.outcome === 'skipped_overlap').length).toBeGreaterThanOrEqual(1);
      expect(fires.filter((f: any) => f.outcome === 'skipped_overlap').every((f: any) => f.executionId === null)).toBe(true);
      expectSequential(await runsOf(fires));
    });

    it('buffer_one: one fire waits and starts when the run ends, later ones are skipped', async () => {
      const schedule = await createInterval({ workflowId: slowWorkflow, overlap: 'buffer_one' });
      const fires = await waitFor(
        async () => {
          const items = await history(alice.client, schedule.id);
          return items.filter((f) => f.outcome === 'started').length >= 2 && items;
        },
        'two started fires',
        60_000,
      );
      await alice.client.post(`/api/v1/schedules/${schedule.id}/pause`);
      const started = fires.filter((f: any) => f.outcome === 'started').reverse();
      // The second run is the buffered fire: it started well after its slot, once the first ended.
      expect(Date.parse(started[1].firedAt) - Date.parse(started[1].slot)).toBeGreaterThanOrEqual(10_000);
      expect(Date.parse(started[1].slot) - Date.parse(started[0].slot)).toBe(10_000);
      expect(fires.filter((f: any) => f.outcome === 'skipped_overlap').length).toBeGreaterThanOrEqual(1);
      expectSequential(await runsOf(fires));
    });
  });

  it('changes a schedule with PATCH and deletes it', async () => {
    const schedule = await createInterval();
    const patched = await alice.client.patch(`/api/v1/schedules/${schedule.id}`, { everySeconds: 3600, overlap: 'skip' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ everySeconds: 3600, overlap: 'skip' });
    const bad = await alice.client.patch(`/api/v1/schedules/${schedule.id}`, { kind: 'cron' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toContain('cron');
    expect((await alice.client.delete(`/api/v1/schedules/${schedule.id}`)).status).toBe(204);
    expect((await alice.client.get(`/api/v1/schedules/${schedule.id}`)).status).toBe(404);
    const list = await alice.client.get('/api/v1/schedules?limit=200');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: any) => s.id)).not.toContain(schedule.id);
  });

  it.each([
    ['six cron fields', { kind: 'cron', cron: '0 * * * * *' }, 'cron', 'cron_field_count'],
    ['February 30th', { kind: 'cron', cron: '0 0 30 2 *' }, 'cron', 'cron_never_fires'],
    ['a garbled cron', { kind: 'cron', cron: 'every day' }, 'cron', undefined],
    ['an unknown time zone', { kind: 'cron', cron: '0 * * * *', timezone: 'Mars/Olympus' }, 'timezone', 'unknown_time_zone'],
    ['an interval of 0', { kind: 'interval', everySeconds: 0 }, 'everySeconds', 'interval_too_short'],
    ['an interval under 10 s', { kind: 'interval', everySeconds: 9 }, 'everySeconds', 'interval_too_short'],
    ['a one-shot in the past', { kind: 'once', at: '2020-01-01T00:00:00Z' }, 'at', 'in_the_past'],
    ['a one-shot that is no time', { kind: 'once', at: 'tomorrow' }, 'at', 'invalid_time'],
    ['a cron without its expression', { kind: 'cron' }, 'cron', 'required'],
    ['an interval with a cron', { kind: 'interval', everySeconds: 60, cron: '* * * * *' }, 'cron', 'not_applicable'],
    ['an unknown kind', { kind: 'hourly' }, 'kind', undefined],
    [
      'a catch-up of too many runs',
      { kind: 'interval', everySeconds: 60, missed: { policy: 'catch_up', maxRuns: 1000 } },
      'missed.maxRuns',
      undefined,
    ],
  ])('refuses %s with a 400 naming the field', async (_, body, path, rule) => {
    const res = await alice.client.post('/api/v1/schedules', { workflowId: aliceWorkflow, ...body });
    expect(res.status).toBe(400);
    const error = res.body.errors.find((e: any) => e.path === path);
    expect(error).toBeDefined();
    if (rule) expect(error.rule).toBe(rule);
  });

  it("answers 404 for another workspace's schedule and workflow", async () => {
    const schedule = await createInterval({ everySeconds: 3600 });
    for (const res of [
      await bob.client.get(`/api/v1/schedules/${schedule.id}`),
      await bob.client.get(`/api/v1/schedules/${schedule.id}/history`),
      await bob.client.get(`/api/v1/schedules/${schedule.id}/next`),
      await bob.client.patch(`/api/v1/schedules/${schedule.id}`, { everySeconds: 60 }),
      await bob.client.post(`/api/v1/schedules/${schedule.id}/pause`),
      await bob.client.post(`/api/v1/schedules/${schedule.id}/resume`),
      await bob.client.delete(`/api/v1/schedules/${schedule.id}`),
      await bob.client.post('/api/v1/schedules', { workflowId: aliceWorkflow, kind: 'interval', everySeconds: 60 }),
      await bob.client.post('/api/v1/schedules', { workflowId: bobWorkflow, version: 99, kind: 'interval', everySeconds: 60 }),
    ]) {
      expect(res.status).toBe(404);
    }
    expect((await bob.client.get('/api/v1/schedules')).body.items).toEqual([]);
    expect((await alice.client.get(`/api/v1/schedules/${schedule.id}`)).body.enabled).toBe(true);
  });
});
