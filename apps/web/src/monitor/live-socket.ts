import type { LiveMessage } from './live-state';

export interface LiveSocketOptions {
  executionId: string;
  token: string;
  workspaceId: string;
  /** The last seq applied, read at every (re)connect. */
  fromSeq: () => number;
  onMessage: (m: LiveMessage) => void;
  onState: (s: 'connecting' | 'live' | 'closed' | 'reconnecting') => void;
  /** `ws://host:port` of the gateway; the page's own origin by default. */
  baseUrl?: string;
}

const pageWsOrigin = (): string => `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}`;

/**
 * Watches an execution over `WS /ws/executions/{id}`: the token goes in the first message (a browser
 * cannot set headers), `?fromSeq=` resumes after the last applied event, and a dropped socket
 * reconnects with backoff until the server closes with 1000 after `execution_complete`.
 * Returns a function that stops watching.
 */
export function watchExecution(o: LiveSocketOptions): () => void {
  let stopped = false;
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let backoff = 250;
  const connect = (): void => {
    const url = `${o.baseUrl ?? pageWsOrigin()}/ws/executions/${encodeURIComponent(o.executionId)}?fromSeq=${o.fromSeq()}`;
    o.onState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'auth', token: o.token, workspaceId: o.workspaceId }));
      o.onState('live');
    };
    ws.onmessage = (e: MessageEvent<string>) => {
      backoff = 250;
      try {
        o.onMessage(JSON.parse(e.data) as LiveMessage);
      } catch {
        // not JSON: nothing the monitor can apply
      }
    };
    ws.onclose = (e) => {
      if (stopped) return;
      // 1000: the run is over and everything was sent; 44xx: auth or unknown execution, final.
      if (e.code === 1000 || (e.code >= 4400 && e.code < 4500)) {
        o.onState('closed');
        return;
      }
      o.onState('reconnecting');
      timer = setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  };
  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
  };
}
