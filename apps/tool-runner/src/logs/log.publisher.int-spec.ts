import { connect, type NatsConnection } from '@nats-io/transport-node';
import { logSubject } from '@flowstack/contracts';
import { randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { LogPublisher, MAX_LOG_LINE_CHARS } from './log.publisher';

describe('LogPublisher (real NATS)', () => {
  const ns = randomNamespace('logs');
  let nc: NatsConnection;
  const got: Array<{ subject: string; stream: string; line: string }> = [];

  beforeAll(async () => {
    nc = await connect({ servers: TEST_NATS_URL });
    const sub = nc.subscribe(logSubject(ns, 'ws1', 'ex1', '*'));
    void (async () => {
      for await (const m of sub) got.push({ subject: m.subject, ...m.json<{ stream: string; line: string }>() });
    })();
    await nc.flush();
  });

  afterAll(async () => {
    await nc?.close();
  });

  it('sends each line with its stream, cuts long lines, and drops lines past the rate with one notice', async () => {
    const log = new LogPublisher(nc, ns, 5).open('ws1', 'ex1', 'py');
    log.line('stdout', 'first');
    log.line('stderr', 'x'.repeat(MAX_LOG_LINE_CHARS + 10));
    for (let i = 0; i < 20; i++) log.line('stdout', `burst ${i}`);
    log.close();
    await waitFor(() => got.some((g) => g.line.includes('not streamed')), 'the dropped-lines notice');
    expect(got[0]).toEqual({ subject: logSubject(ns, 'ws1', 'ex1', 'py'), stream: 'stdout', line: 'first' });
    expect(got[1].line).toHaveLength(MAX_LOG_LINE_CHARS + 1);
    expect(got[1].stream).toBe('stderr');
    // A bucket of 5: the first 5 lines went out, the other 17 were counted.
    expect(got).toHaveLength(6);
    expect(got[5]).toMatchObject({ stream: 'stderr', line: '[flowstack: 17 lines not streamed]' });
  });
});
