import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import {
  Rpc,
  type RequestContext,
  type StartExecutionBatchItem,
  type StartExecutionBatchResult,
  type WorkflowGraph,
  type WorkflowView,
} from '@flowstack/contracts';
import { connectNats, RpcClient } from '@flowstack/messaging';
import {
  cleanupNamespace,
  createTestDatabase,
  randomNamespace,
  startService,
  TEST_NATS_URL,
  type ServiceProcess,
  type TestDatabase,
} from '@flowstack/testing';

jest.setTimeout(300_000);

const FREE: WorkflowGraph = {
  entry_point: 'in',
  input_schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'out', type: 'output', config: { value: '{{ input.n }}' } },
  ],
  edges: [{ from: 'in', to: 'out' }],
};

/** An inline http tool: priced per kind below, so a run of it needs credit to start. */
const COSTED: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: 'http://127.0.0.1:9/never', method: 'GET' } } },
  ],
  edges: [{ from: 'in', to: 'call' }],
};

/** Stays running (a durable timer), so it keeps its workspace's running slot. */
const WAITING: WorkflowGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input', config: {} },
    { id: 'wait', type: 'delay', config: { seconds: 300 } },
  ],
  edges: [{ from: 'in', to: 'wait' }],
};

/** Real registry, billing and orchestrator processes on a database and namespace of their own. */
async function startStack(label: string, orchestratorEnv: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase(label);
  const ns = randomNamespace(label);
  const env = { DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix, NATS_URL: TEST_NATS_URL };
  const processes: ServiceProcess[] = [await startService('registry', env)];
  processes.push(
    ...(await Promise.all([startService('billing', env), startService('orchestrator', { ...env, ...orchestratorEnv })])),
  );
  const nc: NatsConnection = await connectNats({ url: TEST_NATS_URL, name: `${label}-int-spec` });
  const sql = new Pool({ connectionString: db.url, max: 2 });
  sql.on('error', () => undefined);
  const rpc = new RpcClient(nc, ns);
  return {
    rpc,
    sql,
    ctx: (workspaceId: string): RequestContext => ({
      workspaceId,
      actor: { id: randomUUID(), type: 'user', role: 'editor' },
      correlationId: randomUUID(),
    }),
    async stop(): Promise<void> {
      await Promise.all(processes.map((p) => p.stop()));
      await nc.close();
      await sql.end();
      await db.drop();
      await cleanupNamespace(ns);
    },
  };
}

type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * `orchestrator.execution.startBatch` against the real processes: a start repeated in a batch or
 * across batches is one execution, one bad start leaves the others started (each with its own
 * answer), a workspace never starts another's workflow nor takes another's execution id, a
 * costed run without credit is refused `insufficient_credits` (402 on the single start), and the
 * per-workspace running limit admits and queues a batch as it would single starts.
 */
describe('the batched start', () => {
  let stack: Stack;
  const workspaceA = randomUUID();
  const workspaceB = randomUUID();
  let free: WorkflowView;
  let costed: WorkflowView;

  beforeAll(async () => {
    stack = await startStack('batchstart', { TOOL_PRICES_JSON: JSON.stringify({ kinds: { http: 250 } }) });
    const create = (graph: WorkflowGraph, workspaceId: string) =>
      stack.rpc.request<WorkflowView>(Rpc.registry.workflowCreate, { name: `wf-${randomUUID()}`, graph }, stack.ctx(workspaceId));
    free = await create(FREE, workspaceA);
    costed = await create(COSTED, workspaceA);
  });
  afterAll(() => stack?.stop());

  const batch = (workspaceId: string, starts: unknown[]) =>
    stack.rpc.request<StartExecutionBatchResult>(Rpc.orchestrator.executionStartBatch, { starts }, stack.ctx(workspaceId));
  const startedCount = async (executionIds: string[]): Promise<Record<string, number>> => {
    const { rows } = await stack.sql.query<{ stream_id: string; n: string }>(
      `SELECT stream_id, count(*) AS n FROM event_store.events
        WHERE type = 'ExecutionStarted' AND stream_id = ANY($1) GROUP BY stream_id`,
      [executionIds.map((id) => `execution-${id}`)],
    );
    return Object.fromEntries(
      executionIds.map((id) => [id, Number(rows.find((r) => r.stream_id === `execution-${id}`)?.n ?? 0)]),
    );
  };
  const start = (executionId: string, workflowId: string, input: unknown = { n: 1 }) => ({
    executionId,
    workflowId,
    input,
    trigger: { type: 'schedule', by: 'int-spec' },
  });

  it('starts each id once, however often it is repeated in a batch or across batches', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const starts = [start(a, free.id), start(b, free.id, { n: 2 }), start(a, free.id, { n: 3 }), start(c, free.id, { n: 4 })];
    const first = await batch(workspaceA, starts);
    expect(first.results.map((r) => r.executionId)).toEqual([a, b, a, c]);
    for (const r of first.results) expect(r).toMatchObject({ status: 'completed' });
    // Again, twice at once (a redelivered claim racing its retry): nothing new starts.
    const again = await Promise.all([batch(workspaceA, starts), batch(workspaceA, [...starts].reverse())]);
    for (const r of again.flatMap((x) => x.results)) expect(r).toMatchObject({ status: 'completed' });
    expect(await startedCount([a, b, c])).toEqual({ [a]: 1, [b]: 1, [c]: 1 });
    // The first start of a repeated id is the one that ran (its input), and a single start agrees.
    const view = await stack.rpc.request<{ input: unknown; output: unknown }>(
      Rpc.orchestrator.executionGet,
      { executionId: a },
      stack.ctx(workspaceA),
    );
    expect(view).toMatchObject({ input: { n: 1 }, output: 1 });
    const single = await stack.rpc.request<{ executionId: string; status: string }>(
      Rpc.orchestrator.executionStart,
      start(b, free.id, { n: 9 }),
      stack.ctx(workspaceA),
    );
    expect(single).toEqual({ executionId: b, status: 'completed' });
    expect(await startedCount([b])).toEqual({ [b]: 1 });
  });

  it('answers each start on its own: one that fails leaves the others started', async () => {
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const { results } = await batch(workspaceA, [
      start(ids[0], free.id),
      start(ids[1], free.id, { n: 'not a number' }),
      { ...start(ids[2], free.id), executionId: 'not-a-uuid' },
      start(ids[3], randomUUID()),
      start(ids[4], costed.id),
      start(ids[5], free.id, { n: 5 }),
    ]);
    const codeOf = (r: StartExecutionBatchItem) => ('error' in r ? r.error.code : r.status);
    expect(results.map(codeOf)).toEqual([
      'completed',
      'validation_failed',
      'validation_failed',
      'not_found',
      'insufficient_credits',
      'completed',
    ]);
    expect(results[1]).toMatchObject({ error: { errors: [{ path: 'input.n', rule: 'type' }] } });
    expect(results[2]).toMatchObject({ executionId: 'not-a-uuid', error: { errors: [{ path: 'starts[2].executionId' }] } });
    expect(await startedCount(ids)).toEqual(Object.fromEntries(ids.map((id, i) => [id, i === 0 || i === 5 ? 1 : 0])));
    // The same refusal as the single start's (the gateway's 402).
    await expect(
      stack.rpc.request(Rpc.orchestrator.executionStart, start(randomUUID(), costed.id), stack.ctx(workspaceA)),
    ).rejects.toMatchObject({ code: 'insufficient_credits' });
  });

  it("never starts another workspace's workflow, nor under another workspace's execution id", async () => {
    const taken = randomUUID();
    expect((await batch(workspaceA, [start(taken, free.id)])).results[0]).toMatchObject({ status: 'completed' });
    const own = await stack.rpc.request<WorkflowView>(
      Rpc.registry.workflowCreate,
      { name: 'b-own', graph: FREE },
      stack.ctx(workspaceB),
    );
    const fresh = randomUUID();
    const { results } = await batch(workspaceB, [start(fresh, free.id), start(taken, own.id), start(taken, free.id)]);
    expect(results[0]).toMatchObject({ executionId: fresh, error: { code: 'not_found' } });
    // A's execution is neither reported to B nor touched: B's start under its id is refused.
    expect(results[1]).toMatchObject({ executionId: taken, error: { code: 'forbidden' } });
    expect(results[2]).toMatchObject({ executionId: taken, error: { code: 'forbidden' } });
    expect(await startedCount([fresh, taken])).toEqual({ [fresh]: 0, [taken]: 1 });
    const { rows } = await stack.sql.query<{ workspace_id: string; n: string }>(
      `SELECT workspace_id, count(*) AS n FROM event_store.events WHERE stream_id = $1 GROUP BY workspace_id`,
      [`execution-${taken}`],
    );
    expect(rows.map((r) => r.workspace_id)).toEqual([workspaceA]);
  });
});

describe('the batched start under a running limit', () => {
  let stack: Stack;
  const workspaceId = randomUUID();

  beforeAll(async () => {
    stack = await startStack('batchadmit', { ORCHESTRATOR_WORKSPACE_MAX_RUNNING: '2' });
  });
  afterAll(() => stack?.stop());

  it('admits a batch in its order and queues what is over the limit, as single starts would be', async () => {
    const waiting = await stack.rpc.request<WorkflowView>(
      Rpc.registry.workflowCreate,
      { name: 'waits', graph: WAITING },
      stack.ctx(workspaceId),
    );
    const ids = Array.from({ length: 4 }, () => randomUUID());
    const starts = ids.map((executionId) => ({ executionId, workflowId: waiting.id, input: {}, trigger: { type: 'schedule' } }));
    const { results } = await stack.rpc.request<StartExecutionBatchResult>(
      Rpc.orchestrator.executionStartBatch,
      { starts },
      stack.ctx(workspaceId),
    );
    expect(results.map((r) => ('status' in r ? r.status : r.error.code))).toEqual(['running', 'running', 'pending', 'pending']);
    expect(results.map((r) => ('queue' in r ? r.queue?.position : undefined))).toEqual([undefined, undefined, 1, 2]);
    // Retried: the queued starts keep their places, the running ones answer as they are.
    const again = await stack.rpc.request<StartExecutionBatchResult>(
      Rpc.orchestrator.executionStartBatch,
      { starts },
      stack.ctx(workspaceId),
    );
    expect(again.results).toEqual(results);
  });
});
