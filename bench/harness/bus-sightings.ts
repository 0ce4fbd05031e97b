import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Header, subject, type Namespace } from '@flowstack/contracts';
import { epochMs } from './clock';

/**
 * When each execution event first passed on the bus (the orchestrator's publish after commit),
 * seen by a core NATS subscription: it splits a commit -> client latency into the writer's part
 * (commit -> bus) and the gateway's part (bus -> client).
 */
export class BusSightings {
  private readonly seen = new Map<string, number>();
  private readonly sub: Subscription;

  constructor(nc: NatsConnection, ns: Namespace) {
    this.sub = nc.subscribe(subject(ns, 'events.*.execution.>'), {
      callback: (err, msg) => {
        if (err) return;
        const key = `${msg.headers?.get(Header.streamId)}#${msg.headers?.get(Header.streamPosition)}`;
        if (!this.seen.has(key)) this.seen.set(key, epochMs());
      },
    });
  }

  /** When the event at `seq` of the execution was first published, if it was seen. */
  at(executionId: string, seq: number): number | undefined {
    return this.seen.get(`execution-${executionId}#${seq}`);
  }

  clear(): void {
    this.seen.clear();
  }

  close(): void {
    this.sub.unsubscribe();
  }
}
