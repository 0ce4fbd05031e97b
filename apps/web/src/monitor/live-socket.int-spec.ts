import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { applyMessage, initialRunState, type RunState } from './live-state';
import { watchExecution } from './live-socket';

/**
 * The monitor's socket against a real WebSocket server speaking the gateway's protocol (Node's own
 * WebSocket client, as in a browser): auth as the first message, `fromSeq` on every reconnect,
 * no reconnect after close 1000 or a 44xx close.
 */
/** Polls until `probe` gives a value (this app's specs do not reach into the platform's libs). */
async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('watchExecution', () => {
  let wss: WebSocketServer;
  let baseUrl: string;
  const connections: Array<{ url: string; auth: unknown; socket: ServerSocket }> = [];

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    baseUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (socket, req) => {
      const entry = { url: req.url ?? '', auth: undefined as unknown, socket };
      socket.once('message', (raw: Buffer) => {
        entry.auth = JSON.parse(raw.toString('utf8'));
        connections.push(entry);
      });
    });
  });
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  });

  it('authenticates first, resumes after the last applied seq when the socket drops, and stops at 1000', async () => {
    let state: RunState = initialRunState();
    const states: string[] = [];
    const stop = watchExecution({
      baseUrl,
      executionId: 'exec 1',
      token: 'tok',
      workspaceId: 'ws_1',
      fromSeq: () => state.seq,
      onMessage: (m) => (state = applyMessage(state, m)),
      onState: (s) => states.push(s),
    });
    try {
      const first = await waitFor(() => connections[0], 'first connection');
      expect(first.url).toBe('/ws/executions/exec%201?fromSeq=0');
      expect(first.auth).toEqual({ type: 'auth', token: 'tok', workspaceId: 'ws_1' });
      first.socket.send(JSON.stringify({ type: 'execution_start', seq: 1 }));
      first.socket.send(JSON.stringify({ type: 'step_start', seq: 2, nodeId: 'a' }));
      await waitFor(() => state.seq === 2, 'two messages applied');
      first.socket.terminate(); // no close frame: the client sees 1006

      const second = await waitFor(() => connections[1], 'reconnection');
      expect(second.url).toBe('/ws/executions/exec%201?fromSeq=2');
      // The server resends from the resume point; an overlap would be dropped by seq.
      second.socket.send(JSON.stringify({ type: 'step_start', seq: 2, nodeId: 'a' }));
      second.socket.send(JSON.stringify({ type: 'step_complete', seq: 3, nodeId: 'a', durationMs: 5 }));
      second.socket.send(JSON.stringify({ type: 'execution_complete', seq: 4, status: 'completed', output: 1, totalCost: 0 }));
      second.socket.close(1000);
      await waitFor(() => states[states.length - 1] === 'closed', 'closed after 1000');
      expect(state.status).toBe('completed');
      expect(state.nodes.a).toMatchObject({ status: 'completed', durationMs: 5 });
      expect(states).toEqual(['connecting', 'live', 'reconnecting', 'connecting', 'live', 'closed']);
      expect(connections).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it('does not reconnect after the server refuses the token (4401)', async () => {
    const before = connections.length;
    const states: string[] = [];
    const stop = watchExecution({
      baseUrl,
      executionId: 'e2',
      token: 'bad',
      workspaceId: 'ws_1',
      fromSeq: () => 0,
      onMessage: () => undefined,
      onState: (s) => states.push(s),
    });
    try {
      const c = await waitFor(() => connections[before], 'connection');
      c.socket.close(4401, 'unauthenticated');
      await waitFor(() => states[states.length - 1] === 'closed', 'closed after 4401');
      expect(connections).toHaveLength(before + 1);
    } finally {
      stop();
    }
  });
});
