import WebSocket from 'ws';
import { epochMs, withDeadline } from './clock';

/** One message as the client received it. */
export interface Arrival {
  type: string;
  seq: number;
  /** The event's `at` (recordedAt), epoch ms. */
  at: number;
  /** When the message reached the client, epoch ms. */
  arrivedAt: number;
}

/**
 * Watches one execution over `WS /ws/executions/{id}` as a client would, recording when each
 * message arrived, until the gateway closes the socket after `execution_complete`.
 */
export async function watchExecution(
  wsUrl: string,
  executionId: string,
  token: string,
  timeoutMs: number,
): Promise<{ openedAt: number; arrivals: Arrival[] }> {
  const socket = new WebSocket(`${wsUrl}/ws/executions/${executionId}`, { headers: { authorization: `Bearer ${token}` } });
  const arrivals: Arrival[] = [];
  socket.on('message', (data: Buffer) => {
    const arrivedAt = epochMs();
    const m = JSON.parse(data.toString('utf8')) as { type: string; seq: number; at: string };
    arrivals.push({ type: m.type, seq: m.seq, at: Date.parse(m.at), arrivedAt });
  });
  try {
    const opened = new Promise<number>((resolve, reject) => {
      socket.once('open', () => resolve(epochMs()));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    const openedAt = await withDeadline(opened, timeoutMs, `WebSocket of ${executionId} opening`);
    const code = await withDeadline(closed, timeoutMs, `WebSocket of ${executionId} closing`);
    if (code !== 1000) throw new Error(`WebSocket of ${executionId} closed with ${code}`);
    return { openedAt, arrivals };
  } finally {
    if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
  }
}
