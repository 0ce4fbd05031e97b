import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { FLUSH_AFTER_MICROTASKS, natsWriteCoalescingInstalled } from './nats-write-coalescing';

const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** The socket under a connection (nats.js keeps it on its transport). */
const socketOf = (nc: NatsConnection): Socket =>
  (nc as unknown as { protocol: { transport: { socket: Socket } } }).protocol.transport.socket;

describe('nats.js writes a chain of awaits in one socket write', () => {
  let nc: NatsConnection;
  beforeAll(async () => {
    nc = await connect({ servers: url, name: 'write-coalescing-spec' });
  });
  afterAll(() => nc.close());

  it('is installed on this nats.js', () => {
    expect(natsWriteCoalescingInstalled).toBe(true);
  });

  it('publishes made across a chain of awaits leave in one write, in order, and all arrive', async () => {
    const subject = `spec.coalesce.${randomUUID()}`;
    const received: string[] = [];
    const sub = nc.subscribe(subject, { max: 10, callback: (_e, m) => void received.push(m.string()) });
    await nc.flush();
    const writes = jest.spyOn(socketOf(nc), 'write');
    // Each publish a microtask after the one before, as a service's chain of awaits makes them.
    for (let i = 0; i < 10; i++) {
      nc.publish(subject, `m${i}`);
      await Promise.resolve();
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveBeenCalledTimes(1);
    writes.mockRestore();
    await sub.closed;
    expect(received).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  it('a chain longer than the wait is written while it runs: no publish waits past FLUSH_AFTER_MICROTASKS', async () => {
    const subject = `spec.coalesce.${randomUUID()}`;
    const writes = jest.spyOn(socketOf(nc), 'write');
    nc.publish(subject, 'first');
    for (let hop = 0; hop < FLUSH_AFTER_MICROTASKS; hop++) await Promise.resolve();
    // Still inside this macrotask (no I/O, no timer has run): the first publish is on the socket.
    expect(writes).toHaveBeenCalledTimes(1);
    writes.mockRestore();
  });

  it('a buffer past the flush threshold is written at once, without waiting for the turn to end', async () => {
    const subject = `spec.coalesce.${randomUUID()}`;
    const writes = jest.spyOn(socketOf(nc), 'write');
    const big = new Uint8Array(40 * 1024);
    for (let i = 0; i < 4; i++) nc.publish(subject, big);
    // Synchronously: nats.js's threshold (32 KiB) was crossed, so some of it is already written.
    expect(writes.mock.calls.length).toBeGreaterThan(0);
    await new Promise((resolve) => setImmediate(resolve));
    writes.mockRestore();
    await nc.flush();
  });

  it('a request is answered as before (the flush happens without any other traffic)', async () => {
    const subject = `spec.coalesce.${randomUUID()}`;
    const sub = nc.subscribe(subject, { callback: (_e, m) => void m.respond(`re:${m.string()}`) });
    await nc.flush();
    const answer = await nc.request(subject, 'ping', { timeout: 2000 });
    expect(answer.string()).toBe('re:ping');
    sub.unsubscribe();
  });
});
