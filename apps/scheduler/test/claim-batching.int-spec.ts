import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { Rpc, subject, type RequestContext, type ScheduleView, type StartExecutionBatchPayload } from '@flowstack/contracts';
import { connectNats, decodeJson, RpcClient } from '@flowstack/messaging';
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

jest.setTimeout(120_000);

const BATCH = 10;

/**
 * How a replica claims schedules due at the same instant (real processes, `SCHEDULER_BATCH=10`,
 * four claims allowed): fewer than a batch go to the orchestrator as one start request, not split
 * between claims that ran together; more than a batch widen to parallel claims of a batch each.
 */
describe('claiming schedules due together', () => {
  let db: TestDatabase;
  const ns = randomNamespace('schedclaim');
  const processes: ServiceProcess[] = [];
  let nc: NatsConnection | undefined;
  let sql: Pool;
  let tap: Subscription;
  let rpc: RpcClient;
  let workflowId: string;
  const batches: number[] = [];
  const workspaceId = randomUUID();
  const ctx = (): RequestContext => ({
    workspaceId,
    actor: { id: randomUUID(), type: 'user', role: 'editor' },
    correlationId: randomUUID(),
  });

  beforeAll(async () => {
    db = await createTestDatabase('schedclaim');
    sql = new Pool({ connectionString: db.url, max: 2 });
    const env = { DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix, NATS_URL: TEST_NATS_URL, RELAY_INTERVAL_MS: '500' };
    processes.push(await startService('registry', env), await startService('orchestrator', env));
    processes.push(await startService('scheduler', { ...env, SCHEDULER_BATCH: String(BATCH), SCHEDULER_PARALLEL_CLAIMS: '4' }));
    nc = await connectNats({ url: TEST_NATS_URL, name: 'scheduler-claim-spec' });
    // A plain subscription sees every start request the scheduler sends (the orchestrator serves them as a queue group).
    tap = nc.subscribe(subject(ns, Rpc.orchestrator.executionStartBatch), {
      callback: (_e, msg) => {
        batches.push(decodeJson<StartExecutionBatchPayload>(msg.data).starts.length);
      },
    });
    rpc = new RpcClient(nc, ns);
    workflowId = await createOneStepWorkflow(rpc, ctx(), 'due together', 'fired');
  });

  afterAll(async () => {
    tap?.unsubscribe();
    await Promise.all(processes.map((p) => p.stop()));
    await nc?.close();
    await sql?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  /** `count` one-shot schedules due at the same instant a few seconds ahead; resolves once all have fired. */
  async function dueTogether(count: number): Promise<void> {
    const at = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000).toISOString();
    const ids = await Promise.all(
      Array.from({ length: count }, async () => {
        const view = await rpc.request<ScheduleView>(
          Rpc.scheduler.scheduleCreate,
          { workflowId, kind: 'once', at, input: {} },
          ctx(),
        );
        return view.id;
      }),
    );
    await waitFor(
      async () => {
        const { rows } = await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM scheduler.schedule_fires WHERE schedule_id = ANY($1::uuid[]) AND outcome = 'started'`,
          [ids],
        );
        return Number(rows[0].n) === count;
      },
      `${count} fires recorded`,
      30_000,
      100,
    );
  }

  it('sends fewer than a batch of due schedules as one start request', async () => {
    batches.length = 0;
    await dueTogether(BATCH - 1);
    expect(batches).toEqual([BATCH - 1]);
  });

  it('widens to more claims, a batch each, when more than a batch is due', async () => {
    batches.length = 0;
    await dueTogether(2 * BATCH + 5);
    expect([...batches].sort((a, b) => a - b)).toEqual([5, BATCH, BATCH]);
  });
});
