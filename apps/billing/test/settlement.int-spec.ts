import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Pool } from 'pg';
import {
  Rpc,
  creditsStreamId,
  eventSubject,
  executionStreamId,
  streamName,
  type CreditBalanceView,
  type HoldResultView,
  type RequestContext,
} from '@flowstack/contracts';
import { JetStreamEventPublisher, PostgresEventStore, migrateEventStore } from '@flowstack/event-store';
import { connectNats, encodeJson, RpcClient } from '@flowstack/messaging';
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
import { SETTLING_EVENT_TYPES } from '../src/settlement/settlement.plan';
import { LEGACY_SETTLEMENT_CONSUMERS, SETTLEMENT_CONSUMER } from '../src/settlement/settlement.consumer';

jest.setTimeout(180_000);

/**
 * Crash-proof settlement: billing (two replicas) charges and releases from the execution events
 * it consumes on EVENTS, with no orchestrator to settle after its append. The test appends the
 * execution events itself, as an orchestrator that died right after its append would leave them.
 */
describe('billing settles holds from execution events', () => {
  let db: TestDatabase;
  const ns = randomNamespace('settle');
  let replicas: ServiceProcess[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;
  let sql: Pool;
  let store: PostgresEventStore;
  let env: Record<string, string>;

  const ctxOf = (workspaceId: string): RequestContext => ({
    workspaceId,
    actor: { id: randomUUID(), type: 'user', role: 'admin' },
    correlationId: randomUUID(),
  });
  const ledger = (ws: string) => store.readStream(creditsStreamId(ws), { workspaceId: ws });
  const balance = (ws: string) => rpc.request<CreditBalanceView>(Rpc.billing.creditsBalance, {}, ctxOf(ws));
  const hold = (ws: string, executionId: string, nodeId: string, attempt: number, amount: number) =>
    rpc.request<HoldResultView>(
      Rpc.billing.creditsHold,
      { holdId: `${executionId}:${nodeId}:${attempt}`, amount, executionId, nodeId },
      ctxOf(ws),
    );
  /**
   * Appends execution events (published to EVENTS after the commit, as the orchestrator does), the
   * settling types marked as the orchestrator marks them in a run with costed nodes.
   */
  const append = async (ws: string, executionId: string, events: Array<{ type: string; data: object }>) =>
    (await store.append(executionStreamId(executionId), ws, events.map(marked), { expectedPosition: 'any' })).events;
  const marked = (e: { type: string; data: object }) =>
    (SETTLING_EVENT_TYPES as readonly string[]).includes(e.type) ? { ...e, metadata: { settlesCredits: true } } : e;
  const nodeEvents = (executionId: string, nodeId: string, attempt: number, amount: number) => [
    {
      type: 'NodeScheduled',
      data: { nodeId, attempt, taskId: `${executionId}:${nodeId}:${attempt}`, mode: 'remote', scheduledAt: now() },
    },
    { type: 'NodeCostHeld', data: { nodeId, attempt, holdId: `${executionId}:${nodeId}:${attempt}`, amount, heldAt: now() } },
  ];
  const completed = (executionId: string, nodeId: string, attempt: number, cost: number) => ({
    type: 'NodeCompleted',
    data: {
      nodeId,
      attempt,
      taskId: `${executionId}:${nodeId}:${attempt}`,
      output: null,
      startedAt: now(),
      completedAt: now(),
      durationMs: 1,
      cost,
    },
  });
  const failed = (executionId: string, nodeId: string, attempt: number) => ({
    type: 'NodeFailed',
    data: {
      nodeId,
      attempt,
      taskId: `${executionId}:${nodeId}:${attempt}`,
      error: { code: 'boom', message: 'boom' },
      failedAt: now(),
      willRetry: false,
    },
  });
  const now = () => new Date().toISOString();
  const entriesOf = async (ws: string, holdId: string) =>
    (await ledger(ws))
      .filter((e) => (e.data as { holdId?: string }).holdId === holdId)
      .map((e) => [e.type, (e.data as { amount: number }).amount]);
  const settlementInfo = async () => (await jetstreamManager(nc)).consumers.info(streamName(ns, 'EVENTS'), SETTLEMENT_CONSUMER);
  /** The settlement consumer has delivered and acked everything in the stream. */
  const drained = async () => {
    await waitFor(
      async () => {
        const info = await settlementInfo();
        return info.num_pending > 0 || info.num_ack_pending > 0 ? undefined : true;
      },
      'the settlement consumers to drain',
      30_000,
      50,
    );
  };
  const startReplicas = async () => {
    replicas = [await startService('billing', env), await startService('billing', env)];
  };

  beforeAll(async () => {
    db = await createTestDatabase('settle');
    sql = new Pool({ connectionString: db.url, max: 3 });
    sql.on('error', () => undefined);
    await migrateEventStore(sql);
    nc = await connectNats({ url: TEST_NATS_URL, name: 'settlement-int-spec' });
    env = { DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix, NATS_URL: TEST_NATS_URL, BILLING_SWEEP_MS: '100' };
    await startReplicas();
    store = new PostgresEventStore(sql, { publisher: new JetStreamEventPublisher(jetstream(nc), ns) });
    rpc = new RpcClient(nc, ns, 30_000);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((p) => p.stop()));
    await nc?.close();
    await sql?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  it('charges a completed attempt once, however often its NodeCompleted is delivered', async () => {
    const ws = randomUUID();
    const exec = randomUUID();
    await rpc.request(Rpc.billing.creditsGrant, { amount: 10_000 }, ctxOf(ws));
    expect(await hold(ws, exec, 'ask', 1, 1_000)).toMatchObject({ outcome: 'held' });
    await append(ws, exec, nodeEvents(exec, 'ask', 1, 1_000));
    const [done] = await append(ws, exec, [completed(exec, 'ask', 1, 300)]);
    const holdId = `${exec}:ask:1`;
    await waitFor(async () => (await balance(ws)).held === 0, 'the charge from NodeCompleted', 30_000, 50);
    expect(await entriesOf(ws, holdId)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsCharged', 300],
      ['CreditsReleased', 700],
    ]);
    const charged = (await ledger(ws)).find((e) => e.type === 'CreditsCharged')!;
    expect(charged.data).toMatchObject({ causationEventId: done.eventId });
    expect(charged.metadata).toMatchObject({ causationId: done.eventId, actor: { type: 'system' } });

    // The same event delivered 20 more times (new message ids, so JetStream keeps every copy).
    const js = jetstream(nc);
    for (let i = 0; i < 20; i++) {
      await js.publish(eventSubject(ns, ws, 'execution', 'NodeCompleted', true), encodeJson(done), { msgID: randomUUID() });
    }
    await append(ws, exec, [
      { type: 'ExecutionCompleted', data: { output: null, completedAt: now(), durationMs: 5, totalCost: 300 } },
    ]);
    await drained();
    expect(await entriesOf(ws, holdId)).toHaveLength(3);
    expect(await balance(ws)).toEqual({ posted: 10_000 - 300, held: 0, available: 10_000 - 300 });
  });

  it('settles what happened while billing was down once it is back: charge, release, end of run', async () => {
    const ws = randomUUID();
    const exec = randomUUID();
    await rpc.request(Rpc.billing.creditsGrant, { amount: 10_000 }, ctxOf(ws));
    for (const node of ['a', 'b', 'c']) expect(await hold(ws, exec, node, 1, 1_000)).toMatchObject({ outcome: 'held' });
    await append(ws, exec, [
      ...nodeEvents(exec, 'a', 1, 1_000),
      ...nodeEvents(exec, 'b', 1, 1_000),
      ...nodeEvents(exec, 'c', 1, 1_000),
    ]);
    expect(await balance(ws)).toMatchObject({ held: 3_000 });

    await Promise.all(replicas.map((p) => p.stop()));
    // a completes, b fails, then the run fails with c still at work: none of it reaches billing now.
    await append(ws, exec, [completed(exec, 'a', 1, 250)]);
    await append(ws, exec, [failed(exec, 'b', 1)]);
    await append(ws, exec, [
      {
        type: 'ExecutionFailed',
        data: { error: { code: 'boom', message: 'boom', nodeId: 'b' }, failedAt: now(), durationMs: 9, totalCost: 250 },
      },
    ]);
    await startReplicas();

    await waitFor(async () => (await balance(ws)).held === 0, 'billing to settle after its restart', 30_000, 50);
    await drained();
    expect(await entriesOf(ws, `${exec}:a:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsCharged', 250],
      ['CreditsReleased', 750],
    ]);
    expect(await entriesOf(ws, `${exec}:b:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsReleased', 1_000],
    ]);
    expect(await entriesOf(ws, `${exec}:c:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsReleased', 1_000],
    ]);
    expect(await balance(ws)).toEqual({ posted: 10_000 - 250, held: 0, available: 10_000 - 250 });
  });

  it("an execution's end settles from the stream even when the node's own event never arrived; a later retry's hold stays", async () => {
    const ws = randomUUID();
    const exec = randomUUID();
    await rpc.request(Rpc.billing.creditsGrant, { amount: 10_000 }, ctxOf(ws));
    await hold(ws, exec, 'a', 1, 1_000);
    await hold(ws, exec, 'b', 1, 1_000);
    await append(ws, exec, [...nodeEvents(exec, 'a', 1, 1_000), ...nodeEvents(exec, 'b', 1, 1_000)]);
    // Stored but never published (a crash before the fast path, the relay not there yet).
    await new PostgresEventStore(sql).append(executionStreamId(exec), ws, [marked(completed(exec, 'a', 1, 100))], {
      expectedPosition: 'any',
    });
    const [end] = await new PostgresEventStore(sql)
      .append(
        executionStreamId(exec),
        ws,
        [
          marked({
            type: 'ExecutionFailed',
            data: { error: { code: 'boom', message: 'boom', nodeId: 'b' }, failedAt: now(), durationMs: 9, totalCost: 100 },
          }),
        ],
        { expectedPosition: 'any' },
      )
      .then((r) => r.events);
    // The retry: b's attempt 2 holds, recorded after the end.
    await hold(ws, exec, 'b', 2, 1_000);
    await append(ws, exec, [...nodeEvents(exec, 'b', 2, 1_000)]);
    // Now the end (alone) reaches billing, late.
    await jetstream(nc).publish(eventSubject(ns, ws, 'execution', 'ExecutionFailed', true), encodeJson(end), {
      msgID: end.eventId,
    });
    await waitFor(async () => (await balance(ws)).held === 1_000, 'the end to settle cycle 1', 30_000, 50);
    await drained();
    expect(await entriesOf(ws, `${exec}:a:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsCharged', 100],
      ['CreditsReleased', 900],
    ]);
    expect(await entriesOf(ws, `${exec}:b:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsReleased', 1_000],
    ]);
    expect(await entriesOf(ws, `${exec}:b:2`)).toEqual([['CreditsHeld', 1_000]]);
  });

  it("never receives a free run's events (published under `.none`), only the marked ones", async () => {
    const ws = randomUUID();
    const free = randomUUID();
    await drained();
    const before = await settlementInfo();
    const stored = await store.append(
      executionStreamId(free),
      ws,
      [
        completed(free, 'a', 1, 0),
        { type: 'ExecutionCompleted', data: { output: null, completedAt: now(), durationMs: 5, totalCost: 0 } },
      ],
      { expectedPosition: 'any' },
    );
    const eventsState = (await (await jetstreamManager(nc)).streams.info(streamName(ns, 'EVENTS'))).state;
    expect(eventsState.last_seq).toBeGreaterThanOrEqual(before.delivered.stream_seq + stored.events.length);
    const after = await settlementInfo();
    expect([after.num_pending, after.num_ack_pending, after.delivered.stream_seq]).toEqual([0, 0, before.delivered.stream_seq]);

    const costed = randomUUID();
    await rpc.request(Rpc.billing.creditsGrant, { amount: 1_000 }, ctxOf(ws));
    await hold(ws, costed, 'ask', 1, 500);
    await append(ws, costed, [...nodeEvents(costed, 'ask', 1, 500), completed(costed, 'ask', 1, 200)]);
    await waitFor(async () => (await balance(ws)).held === 0, 'the costed run settled', 30_000, 50);
    await drained();
    expect((await settlementInfo()).delivered.stream_seq).toBeGreaterThan(eventsState.last_seq);
  });

  it('upgraded from per-type consumers: settles what they still hold and what came since, then deletes them', async () => {
    const ws = randomUUID();
    const exec = randomUUID();
    await rpc.request(Rpc.billing.creditsGrant, { amount: 10_000 }, ctxOf(ws));
    await hold(ws, exec, 'a', 1, 1_000);
    await hold(ws, exec, 'b', 1, 1_000);
    await append(ws, exec, [...nodeEvents(exec, 'a', 1, 1_000), ...nodeEvents(exec, 'b', 1, 1_000)]);
    await Promise.all(replicas.map((p) => p.stop()));
    const jsm = await jetstreamManager(nc);
    const stream = streamName(ns, 'EVENTS');
    await jsm.consumers.delete(stream, SETTLEMENT_CONSUMER);
    // As the previous billing left them: one consumer per type on the four-token subjects.
    for (const [i, type] of SETTLING_EVENT_TYPES.entries()) {
      await jsm.consumers.add(stream, {
        durable_name: LEGACY_SETTLEMENT_CONSUMERS[i],
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: `${ns.prefix}.events.*.execution.${type}`,
      });
    }
    // a completed under the old layout (an old orchestrator), b under the new one, before billing is back.
    const [doneA] = await new PostgresEventStore(sql)
      .append(executionStreamId(exec), ws, [completed(exec, 'a', 1, 100)], {
        expectedPosition: 'any',
      })
      .then((r) => r.events);
    await jetstream(nc).publish(`${ns.prefix}.events.${ws}.execution.NodeCompleted`, encodeJson(doneA), { msgID: doneA.eventId });
    await append(ws, exec, [completed(exec, 'b', 1, 300)]);
    await startReplicas();

    await waitFor(async () => (await balance(ws)).held === 0, 'both holds settled after the upgrade', 30_000, 50);
    expect(await entriesOf(ws, `${exec}:a:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsCharged', 100],
      ['CreditsReleased', 900],
    ]);
    expect(await entriesOf(ws, `${exec}:b:1`)).toEqual([
      ['CreditsHeld', 1_000],
      ['CreditsCharged', 300],
      ['CreditsReleased', 700],
    ]);
    await waitFor(
      async () => {
        const names: string[] = [];
        for await (const c of jsm.consumers.list(stream)) names.push(c.name);
        return LEGACY_SETTLEMENT_CONSUMERS.every((n) => !names.includes(n)) ? names : undefined;
      },
      'the legacy consumers deleted',
      30_000,
      100,
    );
  });
});
