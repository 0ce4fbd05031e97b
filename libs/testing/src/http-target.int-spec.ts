import { connect } from 'node:net';
import { HttpTarget } from './http-target';

/** The stand-in for tools' APIs must outlive its clients: a runner killed mid-request is a test case. */
describe('HttpTarget', () => {
  const target = new HttpTarget().route('POST', '/charge', () => ({ json: { ok: true } }));

  beforeAll(async () => {
    await target.start();
  });
  afterAll(async () => {
    await target.stop();
  });

  it('takes a client that goes away in the middle of a request body in its stride', async () => {
    const socket = connect(target.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('POST /charge HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"amou');
    // The server must have started on the body before the client vanishes.
    await new Promise((resolve) => setImmediate(resolve));
    socket.resetAndDestroy();
    await closed;

    // Still serving, and the broken request was never recorded as received.
    const res = await fetch(`${target.url}/charge`, { method: 'POST', body: '{"amount":1}' });
    expect(res.status).toBe(200);
    expect(target.received.map((r) => r.body)).toEqual(['{"amount":1}']);
  });
});
