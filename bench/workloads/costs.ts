import type { BenchContext } from '../context';
import { NatsWiretap, type NatsCounts } from '../harness/nats-wiretap';
import type { PgActivity } from '../harness/pg-activity';
import { epochMs } from '../harness/clock';

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
 * relay follows the log about a second behind (publishing what the fast path did not get acked);
 * its traffic is part of what a node costs, so the pass starts once the relay has caught up with
 * earlier work (or it would be counted here) and ends once it has gone past the pass's events.
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
    await relayCaughtUp(pg);
    const head = await pg.logHead();
    tap.take();
    await run();
    const { events, commits } = await pg.appendsSince(head);
    await relayCaughtUp(pg);
    // A missing ack only makes the counts a little low: say so rather than fail the run.
    await tap.acksSettled(5_000).catch(() => ctx.log(`  note: ${tap.unacked} publish acks were not seen`));
    const byConsumer = tap.byConsumer();
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
    const perUnit = Object.entries(byConsumer).map(([name, n]) => `${name} ${(n / units).toFixed(2)}`);
    ctx.log(`  deliveries + acks per ${per}, by consumer: ${perUnit.join(', ') || 'none'}`);
    return { executions, nodes, appendedEvents: events, appendCommits: commits, nats };
  } finally {
    tap.close();
  }
}

/** Waits until the outbox relay has gone past everything appended so far (it polls every second). */
async function relayCaughtUp(pg: PgActivity): Promise<void> {
  const deadline = epochMs() + 30_000;
  while (!(await pg.relayCaughtUp())) {
    if (epochMs() > deadline) throw new Error('the outbox relay did not catch up within 30000 ms');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
