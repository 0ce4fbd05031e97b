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
});
