import { randomUUID } from 'node:crypto';
import { benchPool } from '../harness/pg-pool';
import type { GraphEdge, GraphNode, WorkflowGraph } from '@flowstack/contracts';
import { migrateEventStore, PostgresEventStore, type NewEvent } from '@flowstack/event-store';
import { createTestDatabase } from '@flowstack/testing';
// The orchestrator's fold and codec are pure TypeScript: the benchmark measures the very code
// that loads executions, imported by path (apps are not libraries).
import { foldEvents } from '../../apps/orchestrator/src/domain';
import { toExecutionEvent } from '../../apps/orchestrator/src/executions/execution-events.codec';
import type { BenchContext } from '../context';
import { epochMs, runPool } from '../harness/clock';
import { createFloorTable, rawInserts } from '../floor/postgres-floor';
import { percentile } from '../stats';

const W = 'W4 event store';
const F = 'Floor';
const WORKSPACE = 'ws-bench';

/** A NodeCompleted as the orchestrator appends it: the payload every append and raw insert carries. */
function nodeCompleted(i: number): NewEvent {
  return {
    type: 'NodeCompleted',
    data: {
      nodeId: `n${i}`,
      attempt: 1,
      taskId: `exec:n${i}:1`,
      output: { n: i },
      startedAt: '2026-01-01T00:00:00.000Z',
      completedAt: '2026-01-01T00:00:00.001Z',
      durationMs: 1,
      cost: 0,
    },
    metadata: { correlationId: randomUUID(), actor: { id: 'user-1', type: 'user' } },
  };
}

/**
 * Workload 4 and the Postgres floor: the event store on a database of its own, without a
 * publisher (what is measured is the store), next to raw single-row INSERTs of the same payload.
 * Append and INSERT runs alternate, so each ratio compares neighbours in time. Then replay: load
 * a 10,000-event execution stream and fold it with the orchestrator's own `foldEvents`.
 */
export async function eventStore(ctx: BenchContext): Promise<void> {
  const { sequentialEvents, parallelEvents, streams, writers, replayEvents } = ctx.sizes.w4;
  const db = await createTestDatabase('bench_es');
  ctx.cleanup.add('event store database', () => db.drop());
  const pool = benchPool(db.url, writers + 1);
  const closePool = ctx.cleanup.add('event store pool', () => pool.end());
  try {
    await migrateEventStore(pool);
    await createFloorTable(pool);
    const store = new PostgresEventStore(pool);
    const payload = JSON.stringify(nodeCompleted(0).data);

    const appendSeq: number[] = [];
    const appendPar: number[] = [];
    const insertSeq: number[] = [];
    const insertPar: number[] = [];
    const insertP50: number[] = [];
    const insertP99: number[] = [];
    for (let run = 0; run < ctx.sizes.reps; run++) {
      const seq = await rawInserts(pool, sequentialEvents, 1, payload);
      insertSeq.push(seq.perSecond);
      insertP50.push(percentile(seq.latenciesMs, 50));
      insertP99.push(percentile(seq.latenciesMs, 99));
      appendSeq.push(await appendOneStream(store, sequentialEvents));
      insertPar.push((await rawInserts(pool, parallelEvents, writers, payload)).perSecond);
      appendPar.push(await appendManyStreams(store, parallelEvents, streams, writers));
      ctx.log(
        `  run ${run + 1}: append ${appendSeq[run].toFixed(0)}/s vs INSERT ${insertSeq[run].toFixed(0)}/s; ` +
          `${writers} writers: append ${appendPar[run].toFixed(0)}/s vs INSERT ${insertPar[run].toFixed(0)}/s`,
      );
    }
    const rec = ctx.rec;
    rec.add(F, 'floor.pgInsert.perSecond', 'Postgres single-row INSERT commits, 1 writer', 'commits/s', insertSeq);
    rec.add(F, 'floor.pgInsert.p50', 'Postgres INSERT commit latency p50', 'ms', insertP50);
    rec.add(F, 'floor.pgInsert.p99', 'Postgres INSERT commit latency p99', 'ms', insertP99);
    rec.add(
      F,
      'floor.pgInsertParallel.perSecond',
      `Postgres single-row INSERT commits, ${writers} writers`,
      'commits/s',
      insertPar,
    );
    rec.add(
      W,
      'w4.appendOneStream.perSecond',
      'append, one stream, sequential',
      'events/s',
      appendSeq,
      'one event per append, expected position checked',
    );
    rec.add(W, 'w4.appendManyStreams.perSecond', `append, ${streams} streams, ${writers} writers`, 'events/s', appendPar);
    rec.add(
      W,
      'w4.ratio.appendVsInsert',
      'append / raw INSERT, sequential',
      'ratio',
      appendSeq.map((a, i) => a / insertSeq[i]),
    );
    rec.add(
      W,
      'w4.ratio.appendVsInsertParallel',
      `append / raw INSERT, ${writers} writers`,
      'ratio',
      appendPar.map((a, i) => a / insertPar[i]),
    );

    await replay(ctx, store, replayEvents);
  } finally {
    await closePool();
  }
}

/** `total` appends of one event to one stream, each expecting the previous position. */
async function appendOneStream(store: PostgresEventStore, total: number): Promise<number> {
  const streamId = `execution-${randomUUID()}`;
  const began = epochMs();
  for (let i = 0; i < total; i++) await store.append(streamId, WORKSPACE, [nodeCompleted(i)], { expectedPosition: i });
  return (total * 1000) / (epochMs() - began);
}

/** `total` one-event appends over `streams` streams by `writers` writers, each owning its streams. */
async function appendManyStreams(store: PostgresEventStore, total: number, streams: number, writers: number): Promise<number> {
  const ids = Array.from({ length: streams }, () => `execution-${randomUUID()}`);
  const positions = new Map(ids.map((id) => [id, 0]));
  const perWriter = Math.ceil(total / writers);
  const began = epochMs();
  await runPool(writers, writers, async (w) => {
    const mine = ids.filter((_, i) => i % writers === w);
    for (let i = 0; i < perWriter; i++) {
      const streamId = mine[i % mine.length];
      const at = positions.get(streamId)!;
      await store.append(streamId, WORKSPACE, [nodeCompleted(i)], { expectedPosition: at });
      positions.set(streamId, at + 1);
    }
  });
  return (perWriter * writers * 1000) / (epochMs() - began);
}

/**
 * A long execution's stream, as the orchestrator writes it: ExecutionStarted with a graph of
 * events/2 tool nodes in a line (at 8,000 events the graph is about 220 KB, inside the 256 KiB an
 * event may carry), then NodeScheduled + NodeCompleted per node; then load it with
 * `readStream` and fold it, timing each.
 */
async function replay(ctx: BenchContext, store: PostgresEventStore, total: number): Promise<void> {
  const size = total / 2;
  const nodes: GraphNode[] = Array.from({ length: size }, (_, i) => ({ id: `n${i}`, type: i === 0 ? 'input' : 'tool' }));
  const edges: GraphEdge[] = nodes.slice(1).map((node, i) => ({ from: `n${i}`, to: node.id }));
  const graph: WorkflowGraph = { nodes, edges, entry_point: 'n0' };
  const at = '2026-01-01T00:00:00.000Z';
  const executionId = randomUUID();
  const events: NewEvent[] = [
    {
      type: 'ExecutionStarted',
      data: {
        executionId,
        workspaceId: WORKSPACE,
        workflowId: 'wf',
        workflowVersion: 1,
        graph,
        input: {},
        trigger: { type: 'api', by: 'u' },
        startedAt: at,
      },
    },
  ];
  for (let i = 0; i < size - 1; i++) {
    const mode = i === 0 ? 'inline' : 'remote';
    const taskId = `${executionId}:n${i}:1`;
    events.push({ type: 'NodeScheduled', data: { nodeId: `n${i}`, attempt: 1, taskId, mode, scheduledAt: at } });
    events.push({
      type: 'NodeCompleted',
      data: { nodeId: `n${i}`, attempt: 1, taskId, output: { n: i }, startedAt: at, completedAt: at, durationMs: 0, cost: 1 },
    });
  }
  events.push({
    type: 'NodeScheduled',
    data: { nodeId: `n${size - 1}`, attempt: 1, taskId: `${executionId}:n${size - 1}:1`, mode: 'remote', scheduledAt: at },
  });
  const streamId = `execution-${executionId}`;
  for (let from = 0; from < events.length; from += 500) {
    await store.append(streamId, WORKSPACE, events.slice(from, from + 500), { expectedPosition: from });
  }

  const load: number[] = [];
  const fold: number[] = [];
  const both: number[] = [];
  for (let run = 0; run < ctx.sizes.reps; run++) {
    const t0 = epochMs();
    const stored = await store.readStream(streamId, { workspaceId: WORKSPACE });
    const t1 = epochMs();
    const state = foldEvents(stored.map(toExecutionEvent));
    const t2 = epochMs();
    if (stored.length !== events.length || state.status !== 'running')
      throw new Error(`replay read ${stored.length} events, folded to ${state.status}`);
    load.push((stored.length * 1000) / (t1 - t0));
    fold.push((stored.length * 1000) / (t2 - t1));
    both.push((stored.length * 1000) / (t2 - t0));
    ctx.log(`  replay ${run + 1}: load ${(t1 - t0).toFixed(1)} ms, fold ${(t2 - t1).toFixed(1)} ms for ${stored.length} events`);
  }
  const note = `${events.length} events, graph of ${size} nodes`;
  ctx.rec.add(W, 'w4.replay.load.perSecond', 'replay: load (readStream)', 'events/s', load, note);
  ctx.rec.add(W, 'w4.replay.fold.perSecond', 'replay: fold (foldEvents)', 'events/s', fold);
  ctx.rec.add(W, 'w4.replay.loadAndFold.perSecond', 'replay: load + fold', 'events/s', both);
}
