import { connect, type NatsConnection } from '@nats-io/transport-node';
import { chunkSubject } from '@flowstack/contracts';
import { randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { ChunkPublisher } from './chunk.publisher';

describe('ChunkPublisher (real NATS)', () => {
  const ns = randomNamespace('chunks');
  let nc: NatsConnection;
  const got: Array<{ subject: string; chunk: string; at: number }> = [];

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const sub = nc.subscribe(chunkSubject(ns, 'ws1', 'ex1', '>').replace('.>', '.*'));
    void (async () => {
      for await (const m of sub) got.push({ subject: m.subject, chunk: m.json<{ chunk: string }>().chunk, at: Date.now() });
    })();
    await nc.flush();
  });

  afterAll(async () => {
    await nc?.close();
  });

  it('sends the first delta at once, coalesces the rest per window, and flushes on close', async () => {
    const stream = new ChunkPublisher(nc, ns, 50).open('ws1', 'ex1', 'ask');
    const started = Date.now();
    stream.write('Hel');
    for (const piece of ['lo', ', ', 'wor', 'ld']) stream.write(piece);
    await waitFor(() => got.length >= 1, 'the first chunk');
    expect(got[0]).toMatchObject({ subject: chunkSubject(ns, 'ws1', 'ex1', 'ask'), chunk: 'Hel' });
    expect(got[0].at - started).toBeLessThan(40);
    await waitFor(() => got.length >= 2, 'the coalesced chunk');
    expect(got[1].chunk).toBe('lo, world');
    stream.write('!');
    stream.close();
    await waitFor(() => got.length >= 3, 'the flushed chunk');
    expect(got.map((g) => g.chunk).join('')).toBe('Hello, world!');
  });

  it("sends every open stream's waiting text on one tick, and a quiet stream's next delta at once", async () => {
    got.length = 0;
    const publisher = new ChunkPublisher(nc, ns, 50, 100);
    const a = publisher.open('ws1', 'ex1', 'a');
    const b = publisher.open('ws1', 'ex1', 'b');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    a.write('a1');
    await sleep(30);
    b.write('b1');
    // Not a poll: a's window (50 ms from its first delta) must still be open.
    await sleep(5);
    a.write('a2');
    await sleep(5);
    b.write('b2');
    await waitFor(() => got.length >= 4, 'both coalesced deltas');
    const [a2, b2] = ['a2', 'b2'].map((chunk) => got.find((g) => g.chunk === chunk)!);
    // One tick carried both: timers of their own would have sent them about 30 ms apart (each
    // stream's window counts from its own last send).
    expect(Math.abs(a2.at - b2.at)).toBeLessThan(15);
    expect(a2.at - got[0].at).toBeLessThan(150);
    // A quiet spell (100 ms here): the next delta is not held back.
    await sleep(120);
    const quietAt = Date.now();
    a.write('a3');
    await waitFor(() => got.length >= 5, 'the delta after a quiet spell');
    expect(got[4]).toMatchObject({ subject: chunkSubject(ns, 'ws1', 'ex1', 'a'), chunk: 'a3' });
    expect(got[4].at - quietAt).toBeLessThan(40);
    a.close();
    b.close();
  });

  it("holds a slow stream's deltas (further apart than a tick, closer than quiet) for the tick", async () => {
    got.length = 0;
    // Quiet only after a minute: however long a loaded host stretches the 70 ms below, s2 is not quiet.
    const publisher = new ChunkPublisher(nc, ns, 50, 60_000);
    const slow = publisher.open('ws1', 'ex1', 'slow');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    slow.write('s1');
    await waitFor(() => got.length >= 1, 'the first delta');
    await sleep(70);
    const wroteAt = Date.now();
    slow.write('s2');
    await waitFor(() => got.length >= 2, 'the next delta');
    // Sent at once it would arrive within a few ms; the tick is 50 ms after the write.
    expect(got[1]).toMatchObject({ chunk: 's2' });
    expect(got[1].at - wroteAt).toBeGreaterThanOrEqual(40);
    slow.close();
  });
});
