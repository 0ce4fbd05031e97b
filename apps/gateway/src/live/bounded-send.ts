import type { WebSocket } from 'ws';

/** Close code for a client that reads too slowly: "try again later" (RFC 6455 registry). */
export const TOO_SLOW_CLOSE_CODE = 1013;

/**
 * Sends one message unless the socket is already too far behind: with more than `maxBuffered`
 * bytes queued and unsent (a client that does not read), it closes the socket with 1013 instead
 * and answers false, so a slow reader costs the gateway a bounded amount of memory. The client
 * reconnects with `?fromSeq=` the last `seq` it got and loses nothing. A send on a socket that is
 * no longer open is dropped (false); `ws` reports it through the callback, never by throwing.
 */
export function sendBounded(
  ws: Pick<WebSocket, 'bufferedAmount' | 'readyState' | 'send' | 'close'>,
  data: string,
  maxBuffered: number,
): boolean {
  if (ws.readyState !== 1) return false; // WebSocket.OPEN
  if (ws.bufferedAmount > maxBuffered) {
    ws.close(TOO_SLOW_CLOSE_CODE, 'client is not reading fast enough; reconnect with fromSeq');
    return false;
  }
  ws.send(data, ignoreSendError);
  return true;
}

/**
 * Waits while more than `below` bytes are queued on the socket, up to `timeoutMs`; answers whether
 * the backlog drained. Replays call it between pages so a slow but reading client gets a long
 * history at its own pace instead of being cut; one that stops reading is cut by `sendBounded`.
 */
export async function backlogDrained(
  ws: Pick<WebSocket, 'bufferedAmount' | 'readyState'>,
  below: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (ws.readyState === 1 && ws.bufferedAmount > below) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  return true;
}

// `ws` has no drain event of its own; a short poll runs only while a socket is behind.
const DRAIN_POLL_MS = 25;

// A failed send means the socket is going away; its 'close' handler does the cleanup.
const ignoreSendError = (): void => undefined;
