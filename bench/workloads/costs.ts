import type { BenchContext } from '../context';
import { NatsWiretap, type NatsCounts } from '../harness/nats-wiretap';
import type { PgActivity } from '../harness/pg-activity';

export interface PassCounts {
  executions: number;
  nodes: number;
  appendedEvents: number;
  appendCommits: number;
  nats: NatsCounts;
}

/**
 * An untimed counting pass: runs `run` (which starts and awaits `executions` executions of
 * `nodesPerExecution` nodes) under the NATS wiretap and records counts per node or execution:
 * exact append commits from the log's transaction ids, and NATS messages by kind. The outbox
 * relay re-publishes every event about a second later; that traffic is part of what a node
 * costs, so the pass starts once the relay has caught up with earlier work (or it would be
 * counted here) and ends once the relay has re-published the pass's last event.
 */
export async function countPass(
  ctx: BenchContext,
  pg: PgActivity,
  workload: string,
  id: string,
  executions: number,
  nodesPerExecution: number,
  per: 'node' | 'execution',
  run: () => Promise<void>,
): Promise<PassCounts> {
  const tap = new NatsWiretap(ctx.platform.nc, ctx.platform.ns);
  try {
    await ctx.platform.nc.flush();
    await relayCaughtUp(pg, tap, 1);
    const head = await pg.logHead();
    tap.take();
    await run();
    const { events, commits } = await pg.appendsSince(head);
    await relayCaughtUp(pg, tap, 2);
    // A missing ack only makes the counts a little low: say so rather than fail the run.
    await tap.acksSettled(5_000).catch(() => ctx.log(`  note: ${tap.unacked} publish acks were not seen`));
    const nats = tap.take();
    const nodes = executions * nodesPerExecution;
    const units = per === 'node' ? nodes : executions;
    const note = `counted over ${executions} executions (${nodes} nodes)`;
    const each = (n: number): number[] => [n / units];
    const P = per === 'node' ? 'PerNode' : 'PerExecution';
    ctx.rec.add(
      workload,
      `${id}.pgAppendCommits${P}`,
      `Postgres append commits per ${per}`,
      'count',
      each(commits),
      `${note}; from the log's transaction ids`,
    );
    ctx.rec.add(workload, `${id}.events${P}`, `events appended per ${per}`, 'count', each(events), note);
    ctx.rec.add(workload, `${id}.natsMessages${P}`, `NATS messages per ${per} (all kinds)`, 'count', each(nats.total), note);
    ctx.rec.add(workload, `${id}.natsStreamPublishes${P}`, `  of which JetStream publishes`, 'count', each(nats.streamPublishes));
    ctx.rec.add(
      workload,
      `${id}.natsDuplicatePublishes${P}`,
      `  of which duplicates JetStream dropped`,
      'count',
      each(nats.duplicatePublishes),
      'the outbox relay re-publishing events the fast path already published',
    );
    ctx.rec.add(workload, `${id}.natsReplies${P}`, `  replies and publish acks`, 'count', each(nats.replies));
    ctx.rec.add(workload, `${id}.natsDeliveries${P}`, `  consumer deliveries`, 'count', each(nats.deliveries));
    ctx.rec.add(workload, `${id}.natsRpc${P}`, `  service requests`, 'count', each(nats.rpcRequests));
    ctx.log(`  counted: ${JSON.stringify({ executions, nodes, events, commits, ...nats })}`);
    return { executions, nodes, appendedEvents: events, appendCommits: commits, nats };
  } finally {
    tap.close();
  }
}

/**
 * Waits until the relay has published the log's last event: at once if its checkpoint is there,
 * else until the wiretap (listening since before the check) sees that event published for the
 * `times`-th time (1: the relay, for events from before the tap; 2: fast path, then relay).
 */
async function relayCaughtUp(pg: PgActivity, tap: NatsWiretap, times: number): Promise<void> {
  const { headEventId, relayed } = await pg.relayState();
  if (relayed || !headEventId) return;
  try {
    await tap.published(headEventId, times, 30_000);
  } catch (e) {
    // It may have been published just before the tap listened, with the checkpoint saved since.
    if (!(await pg.relayState()).relayed) throw e;
  }
}
