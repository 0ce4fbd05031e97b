import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import {
  FlowstackError,
  MICRO_CREDITS_PER_CREDIT,
  Rpc,
  creditsStreamId,
  type CreditBalanceView,
  type CreditEntryView,
  type CreditsEvent,
  type HoldResultView,
  type Page,
  type RequestContext,
  type SettleResultView,
} from '@flowstack/contracts';
import { PostgresEventStore, migrateEventStore, type StoredEvent } from '@flowstack/event-store';
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
import { availableBalance, evolve, foldLedger, initialLedger } from '../src/domain';

jest.setTimeout(180_000);

const CREDIT = MICRO_CREDITS_PER_CREDIT;

/**
 * The billing service as it runs: two replica processes on one database and NATS namespace,
 * called over the bus the way the gateway and the orchestrator call it.
 */
describe('billing: two replicas on one ledger', () => {
  let db: TestDatabase;
  const ns = randomNamespace('billing');
  const replicas: ServiceProcess[] = [];
  let nc: NatsConnection;
  let rpc: RpcClient;
  let sql: Pool;
  let store: PostgresEventStore;

  const ctxOf = (workspaceId: string, role: 'admin' | 'editor' | 'viewer' = 'admin'): RequestContext => ({
    workspaceId,
    actor: { id: randomUUID(), type: 'user', role },
    correlationId: randomUUID(),
  });
  const events = (workspaceId: string): Promise<StoredEvent[]> => store.readStream(creditsStreamId(workspaceId), { workspaceId });
  const grant = (workspaceId: string, amount: number, grantId?: string) =>
    rpc.request<CreditBalanceView>(Rpc.billing.creditsGrant, { amount, ...(grantId ? { grantId } : {}) }, ctxOf(workspaceId));
  const balance = (workspaceId: string) =>
    rpc.request<CreditBalanceView>(Rpc.billing.creditsBalance, {}, ctxOf(workspaceId, 'viewer'));
  const hold = (workspaceId: string, holdId: string, amount: number, extra: Record<string, unknown> = {}) =>
    rpc.request<HoldResultView>(
      Rpc.billing.creditsHold,
      { holdId, amount, executionId: 'exec-1', nodeId: `node-${holdId}`, ...extra },
      ctxOf(workspaceId, 'editor'),
    );
  const failureOf = async (p: Promise<unknown>): Promise<FlowstackError> => {
    try {
      await p;
    } catch (e) {
      if (e instanceof FlowstackError) return e;
      throw e;
    }
    throw new Error('expected a FlowstackError');
  };

  beforeAll(async () => {
    db = await createTestDatabase('billing');
    sql = new Pool({ connectionString: db.url, max: 3 });
    sql.on('error', () => undefined);
    await migrateEventStore(sql);
    store = new PostgresEventStore(sql);
    const env = { DATABASE_URL: db.url, FLOWSTACK_NS: ns.prefix, NATS_URL: TEST_NATS_URL, BILLING_SWEEP_MS: '100' };
    replicas.push(await startService('billing', env));
    replicas.push(await startService('billing', env));
    nc = await connectNats({ url: TEST_NATS_URL, name: 'billing-int-spec' });
    // The machine is shared with other suites: a slow answer is not what this spec tests.
    rpc = new RpcClient(nc, ns, 30_000);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((p) => p.stop()));
    await nc?.close();
    await sql?.end();
    await db?.drop();
    await cleanupNamespace(ns);
  });

  it('1,000 concurrent 1-credit holds on 100 credits: exactly 100 held, never below zero at any position', async () => {
    const ws = randomUUID();
    expect(await grant(ws, 100 * CREDIT)).toEqual({ posted: 100 * CREDIT, held: 0, available: 100 * CREDIT });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => hold(ws, `h${i}`, CREDIT)));
    const elapsedMs = Date.now() - started;
    expect(results.filter((r) => r.outcome === 'held')).toHaveLength(100);
    expect(results.filter((r) => r.outcome === 'refused')).toHaveLength(900);

    const stored = await events(ws);
    // Every prefix of the stream: positions without gaps, and a spendable balance never below zero.
    let state = initialLedger();
    stored.forEach((e, i) => {
      expect(e.streamPosition).toBe(i + 1);
      state = evolve(state, { type: e.type, data: e.data } as CreditsEvent);
      expect(availableBalance(state)).toBeGreaterThanOrEqual(0);
    });
    expect(stored.filter((e) => e.type === 'CreditsHeld')).toHaveLength(100);
    expect(stored.filter((e) => e.type === 'CreditsHoldRefused')).toHaveLength(900);
    // Both replicas decided holds: the contention really crossed processes.
    expect(new Set(stored.filter((e) => e.type !== 'CreditsGranted').map((e) => e.metadata.replica)).size).toBe(2);
    expect(await balance(ws)).toEqual({ posted: 100 * CREDIT, held: 100 * CREDIT, available: 0 });
    // The same hold asked again (a redelivered request) is the same answer, nothing new appended.
    expect(await hold(ws, 'h0', CREDIT)).toMatchObject({ outcome: results[0].outcome });
    expect(await events(ws)).toHaveLength(stored.length);
    console.log(`1000 holds on one ledger across 2 replicas: ${elapsedMs} ms (${Math.round(1000 / (elapsedMs / 1000))} holds/s)`);
  });

  it('holds on 100 ledgers at once: each workspace holds exactly what it was granted', async () => {
    const workspaces = Array.from({ length: 100 }, () => randomUUID());
    await Promise.all(workspaces.map((ws) => grant(ws, 5 * CREDIT)));
    const started = Date.now();
    const results = await Promise.all(
      workspaces.flatMap((ws) => Array.from({ length: 10 }, (_, i) => hold(ws, `h${i}`, CREDIT).then((r) => ({ ws, r })))),
    );
    const elapsedMs = Date.now() - started;
    for (const ws of workspaces) {
      expect(results.filter((x) => x.ws === ws && x.r.outcome === 'held')).toHaveLength(5);
    }
    console.log(
      `1000 holds on 100 ledgers across 2 replicas: ${elapsedMs} ms (${Math.round(1000 / (elapsedMs / 1000))} holds/s)`,
    );
  });

  it('the same charge delivered 20 times at once is one ledger entry', async () => {
    const ws = randomUUID();
    await grant(ws, 10 * CREDIT);
    await hold(ws, 'h1', 4 * CREDIT);
    const charge = () =>
      rpc.request<SettleResultView>(
        Rpc.billing.creditsCharge,
        { holdId: 'h1', cost: 3 * CREDIT, causationEventId: 'node-completed-1' },
        ctxOf(ws, 'editor'),
      );
    const answers = await Promise.all(Array.from({ length: 20 }, charge));
    expect(answers.filter((a) => a.changed)).toHaveLength(1);
    expect(answers.every((a) => a.outcome === 'charged')).toBe(true);
    const stored = await events(ws);
    expect(stored.filter((e) => e.type === 'CreditsCharged')).toHaveLength(1);
    expect(stored.filter((e) => e.type === 'CreditsReleased')).toHaveLength(1);
    expect(await balance(ws)).toEqual({ posted: 7 * CREDIT, held: 0, available: 7 * CREDIT });
  });

  it('the sweep releases expired holds by itself; a charge after expiry charges nothing', async () => {
    const ws = randomUUID();
    await grant(ws, 5 * CREDIT);
    await hold(ws, 'short', 2 * CREDIT, { ttlMs: 300 });
    await hold(ws, 'long', 1 * CREDIT);
    expect((await balance(ws)).available).toBe(2 * CREDIT);
    await waitFor(async () => (await balance(ws)).available === 4 * CREDIT, 'the expired hold released', 15_000, 50);
    const stored = await events(ws);
    expect(stored.filter((e) => e.type === 'HoldExpired').map((e) => (e.data as { holdId: string }).holdId)).toEqual(['short']);
    const late = await rpc.request<SettleResultView>(
      Rpc.billing.creditsCharge,
      { holdId: 'short', cost: CREDIT, causationEventId: 'late' },
      ctxOf(ws, 'editor'),
    );
    expect(late).toMatchObject({ changed: false, outcome: 'expired', available: 4 * CREDIT });
    const row = await sql.query('SELECT next_expiry FROM billing.ledgers WHERE workspace_id = $1', [ws]);
    expect(row.rows[0].next_expiry).not.toBeNull(); // 'long' is still open
  });

  it('the balance recomputed from the events equals the RPC answer; entries carry execution and node', async () => {
    const ws = randomUUID();
    await grant(ws, 50 * CREDIT, 'g-1');
    await grant(ws, 50 * CREDIT, 'g-1'); // the same grant again: granted once
    await grant(ws, 7 * CREDIT);
    // x0..x9 (55 credits) fit the 57 granted and are held first; the rest race for what is left.
    await Promise.all(Array.from({ length: 10 }, (_, i) => hold(ws, `x${i}`, (i + 1) * CREDIT)));
    await Promise.all(Array.from({ length: 20 }, (_, i) => hold(ws, `x${i + 10}`, (i + 11) * CREDIT)));
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        rpc.request(
          Rpc.billing.creditsCharge,
          { holdId: `x${i}`, cost: i * 100_000, causationEventId: `c${i}` },
          ctxOf(ws, 'editor'),
        ),
      ),
    );
    await rpc.request(Rpc.billing.creditsRelease, { holdId: 'x10', reason: 'cancelled' }, ctxOf(ws, 'editor'));
    const folded = foldLedger((await events(ws)).map((e) => ({ type: e.type, data: e.data }) as CreditsEvent));
    expect(await balance(ws)).toEqual({ posted: folded.posted, held: folded.held, available: availableBalance(folded) });

    const all: CreditEntryView[] = [];
    let cursor: string | undefined;
    do {
      const page: Page<CreditEntryView> = await rpc.request(
        Rpc.billing.creditsTransactions,
        { limit: 7, ...(cursor ? { cursor } : {}) },
        ctxOf(ws, 'viewer'),
      );
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const stored = await events(ws);
    expect(all.map((e) => e.position)).toEqual(stored.map((e) => e.streamPosition).reverse());
    const charged = all.find((e) => e.type === 'CreditsCharged' && e.holdId === 'x3');
    expect(charged).toMatchObject({ executionId: 'exec-1', nodeId: 'node-x3', amount: 300_000, causationEventId: 'c3' });
    expect(all.filter((e) => e.type === 'CreditsGranted')).toHaveLength(2);
  });

  it('refuses bad requests with specific errors', async () => {
    const ws = randomUUID();
    await grant(ws, 10 * CREDIT);
    await hold(ws, 'h1', CREDIT);
    const codes = await Promise.all([
      failureOf(hold(ws, 'h2', 0)),
      failureOf(hold(ws, 'h2', 1.5)),
      failureOf(hold(ws, 'bad id', 1)),
      failureOf(hold(ws, 'h1', 2 * CREDIT)),
      failureOf(rpc.request(Rpc.billing.creditsCharge, { holdId: 'never', cost: 1, causationEventId: 'c' }, ctxOf(ws))),
      failureOf(rpc.request(Rpc.billing.creditsCharge, { holdId: 'h1', cost: -1, causationEventId: 'c' }, ctxOf(ws))),
      failureOf(rpc.request(Rpc.billing.creditsRelease, { holdId: 'h1', reason: 'bored' }, ctxOf(ws))),
      failureOf(rpc.request(Rpc.billing.creditsGrant, { amount: CREDIT }, ctxOf(ws, 'editor'))),
      failureOf(rpc.request(Rpc.billing.creditsGrant, { amount: CREDIT, extra: 1 }, ctxOf(ws))),
      failureOf(rpc.request(Rpc.billing.creditsGrant, { amount: Number.MAX_SAFE_INTEGER }, ctxOf(ws))),
      failureOf(rpc.request(Rpc.billing.creditsBalance, {}, ctxOf('not-a-uuid'))),
      failureOf(rpc.request(Rpc.billing.creditsTransactions, { cursor: 'abc' }, ctxOf(ws))),
    ]);
    expect(codes.map((e) => e.code)).toEqual([
      'validation_failed',
      'validation_failed',
      'validation_failed',
      'conflict',
      'not_found',
      'validation_failed',
      'validation_failed',
      'forbidden',
      'validation_failed',
      'validation_failed',
      'validation_failed',
      'validation_failed',
    ]);
    expect(await balance(ws)).toEqual({ posted: 10 * CREDIT, held: CREDIT, available: 9 * CREDIT });
  });
});
