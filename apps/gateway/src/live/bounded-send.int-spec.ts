import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { waitFor } from '@flowstack/testing';
import { TOO_SLOW_CLOSE_CODE, sendBounded } from './bounded-send';

const MAX_BUFFERED = 64 * 1024;

/**
 * A client that never reads, on real loopback sockets: it does the WebSocket handshake by hand,
 * then pauses its socket, so everything the server writes piles up in the kernel and then in the
 * server's own buffer (`bufferedAmount`), which is what these guards must bound.
 */
async function nonReadingClient(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let head = '';
  while (!head.includes('\r\n\r\n')) head += ((await once(socket, 'data')) as [Buffer])[0].toString('latin1');
  expect(head).toMatch(/^HTTP\/1\.1 101/);
  socket.pause();
  return socket;
}

describe('bounded sends to a client that does not read', () => {
  let wss: WebSocketServer;
  let port: number;
  let serverSide: Promise<WebSocket>;

  beforeEach(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    port = (wss.address() as { port: number }).port;
    serverSide = new Promise((resolve) =>
      wss.once('connection', (ws) => {
        ws.on('error', () => undefined);
        resolve(ws);
      }),
    );
  });

  afterEach(async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  it('stops queueing and closes with 1013 once the unsent backlog passes the bound', async () => {
    const client = await nonReadingClient(port);
    const ws = await serverSide;
    const message = 'x'.repeat(16 * 1024);
    let sent = 0;
    // Kernel buffers take a few MB first; then every further send would only grow our memory.
    while (sent < 10_000 && sendBounded(ws, message, MAX_BUFFERED)) sent++;
    expect(sent).toBeLessThan(10_000);
    expect(ws.readyState).toBe(ws.CLOSING);
    expect(ws.bufferedAmount).toBeLessThan(MAX_BUFFERED + 2 * message.length);
    expect(sendBounded(ws, message, MAX_BUFFERED)).toBe(false);

    // Once the client reads again it gets what was queued, then the close frame with 1013.
    let received = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    client.resume();
    const closeFrame = Buffer.from([0x88, 0x02 + 'client is not reading fast enough; reconnect with fromSeq'.length]);
    await waitFor(() => received.includes(closeFrame), 'the close frame');
    const at = received.indexOf(closeFrame) + 2;
    expect(received.readUInt16BE(at)).toBe(TOO_SLOW_CLOSE_CODE);
    client.destroy();
  });
});
