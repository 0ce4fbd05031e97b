import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { streamName, type Namespace } from '@flowstack/contracts';
import { withDeadline } from './clock';

/** NATS messages by kind, each counted once as the server routed it. */
export interface NatsCounts {
  /** Publishes to the namespace's JetStream subjects (events, work, results), duplicates included. */
  streamPublishes: number;
  /** Of those, dropped by JetStream as a repeated `Nats-Msg-Id` (the relay re-publishing). */
  duplicatePublishes: number;
  /** JetStream deliveries to consumers (messages carrying a `$JS.ACK` reply subject). */
  deliveries: number;
  /** Consumer acks, naks and in-progress signals sent back to JetStream. */
  acks: number;
  /** Request-reply requests between services (identity, registry, orchestrator). */
  rpcRequests: number;
  /** Replies to those requests and JetStream publish acks (to the requesters' inboxes). */
  replies: number;
  /** JetStream API calls about the namespace's streams (pull requests, consumer info...). */
  jsApi: number;
  total: number;
}

const zero = (): NatsCounts => ({
  streamPublishes: 0,
  duplicatePublishes: 0,
  deliveries: 0,
  acks: 0,
  rpcRequests: 0,
  replies: 0,
  jsApi: 0,
  total: 0,
});

/**
 * Counts the NATS messages the platform's services exchange, by listening to all the subjects
 * they use (the namespace's, JetStream's API and acks, and every inbox) while a counting pass runs: this NATS has no monitoring port, and stream counters see neither
 * request-reply traffic nor acks. The server is shared, so a message counts only when it belongs
 * to the run: a subject or reply under the namespace or its streams, or an inbox whose owner made
 * such a request. Listening to every inbox costs the server, so this runs in untimed passes only.
 *
 * Caveat: a `_INBOX.>` subscription is interest in every inbox, so JetStream takes the pending pull
 * requests of a client that has gone away for live ones and hands them tasks nobody acks (until
 * the requests expire). Never listen after a consumer's process has stopped.
 */
export class NatsWiretap {
  private counts = zero();
  /** Deliveries plus acks by consumer (`$JS.ACK.<stream>.<consumer>...`): who receives what. */
  private consumers = new Map<string, number>();
  /** Reply subjects of stream publishes whose JetStream ack has not passed yet. */
  private readonly awaitingAck = new Set<string>();
  private onAcked?: () => void;
  private readonly inboxes = new Set<string>();
  private readonly subs: Subscription[];
  private readonly streamPrefix: string;
  private readonly streamSubjects: RegExp;

  constructor(
    nc: NatsConnection,
    private readonly ns: Namespace,
  ) {
    this.streamPrefix = streamName(ns, 'EVENTS').replace(/EVENTS$/, '');
    this.streamSubjects = new RegExp(`^${escape(ns.prefix)}\\.(events|work|results)\\.`);
    // Narrower than `>`: other namespaces' traffic on this shared server never reaches the tap.
    const subjects = [`${ns.prefix}.>`, '$JS.ACK.>', '$JS.API.>', '_INBOX.>'];
    this.subs = subjects.map((s) =>
      nc.subscribe(s, {
        callback: (err, msg) => {
          if (!err) this.count(msg);
        },
      }),
    );
  }

  /** Counts so far, and starts again from zero. */
  take(): NatsCounts {
    const taken = this.counts;
    this.counts = zero();
    this.consumers = new Map();
    return taken;
  }

  /** Deliveries and acks per consumer since the last `take` (call it before `take`), most first. */
  byConsumer(): Record<string, number> {
    return Object.fromEntries([...this.consumers].sort((a, b) => b[1] - a[1]));
  }

  close(): void {
    for (const sub of this.subs) sub.unsubscribe();
  }

  /** Stream publishes whose ack has not passed (yet). */
  get unacked(): number {
    return this.awaitingAck.size;
  }

  /** Resolves once every stream publish seen so far has had its ack pass too. */
  acksSettled(timeoutMs: number): Promise<void> {
    if (this.awaitingAck.size === 0) return Promise.resolve();
    const settled = new Promise<void>((resolve) => (this.onAcked = () => this.awaitingAck.size === 0 && resolve()));
    return withDeadline(settled, timeoutMs, 'publish acks').finally(() => (this.onAcked = undefined));
  }

  private count(msg: Msg): void {
    const { subject } = msg;
    const reply = msg.reply ?? '';
    const c = this.counts;
    if (subject.startsWith(`${this.ns.prefix}.`)) {
      if (reply.startsWith('$JS.ACK.')) {
        c.deliveries++;
        this.perConsumer(reply);
      } else if (this.streamSubjects.test(subject)) {
        c.streamPublishes++;
        if (reply) this.awaitingAck.add(reply);
      } else c.rpcRequests++;
      if (reply.startsWith('_INBOX.')) this.inboxes.add(inboxOf(reply));
    } else if (subject.startsWith(`$JS.ACK.${this.streamPrefix}`)) {
      c.acks++;
      this.perConsumer(subject);
    } else if (subject.startsWith('$JS.API.') && subject.includes(`.${this.streamPrefix}`)) {
      c.jsApi++;
      if (reply.startsWith('_INBOX.')) this.inboxes.add(inboxOf(reply));
    } else if (subject.startsWith('_INBOX.') && this.inboxes.has(inboxOf(subject))) {
      if (reply.startsWith('$JS.ACK.')) {
        if (!reply.startsWith(`$JS.ACK.${this.streamPrefix}`)) return;
        c.deliveries++;
        this.perConsumer(reply);
      } else {
        c.replies++;
        if (isDuplicateAck(msg)) c.duplicatePublishes++;
        if (this.awaitingAck.delete(subject)) this.onAcked?.();
      }
    } else {
      return;
    }
    c.total++;
  }

  /** `$JS.ACK.<stream>.<consumer>.<...>` (a delivery's reply or an ack): one more for `<stream>/<consumer>`. */
  private perConsumer(ackSubject: string): void {
    const [, , stream, consumer] = ackSubject.split('.', 4);
    // Ordered consumers get a fresh random name each: count them together per stream.
    const key = `${stream.slice(this.streamPrefix.length)}/${/^(oc_)?[A-Za-z0-9]{22}_\d+$/.test(consumer) ? '(ordered)' : consumer}`;
    this.consumers.set(key, (this.consumers.get(key) ?? 0) + 1);
  }
}

/** `_INBOX.<connection nuid>.<token>` -> `_INBOX.<connection nuid>`: one prefix per connection. */
const inboxOf = (subject: string): string => subject.split('.', 2).join('.');

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A JetStream publish ack for a message it already had: `{"stream":"..", "seq":..,"duplicate": true}`. */
function isDuplicateAck(msg: Msg): boolean {
  if (msg.data.length > 200) return false;
  const text = new TextDecoder().decode(msg.data);
  return /"duplicate":\s*true/.test(text);
}
