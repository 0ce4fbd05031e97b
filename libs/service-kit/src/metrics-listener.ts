import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { FlowstackError, checkReadiness } from '@flowstack/contracts';
import { metricsRegistry } from './metrics-registry';

/** An open metrics listener. */
export interface MetricsListener {
  /** The port it listens on (the one asked for, or the one the OS chose for `0`). */
  readonly port: number;
  readonly host: string;
  /** Stops listening and cuts open connections (a scraper's keep-alive must not hold shutdown). */
  close(): Promise<void>;
}

export interface MetricsListenerOptions {
  port: number;
  host: string;
  /** Default: the process's `metricsRegistry`. */
  registry?: Registry;
  /** Errors of the listening socket after start (accept failures); they never end the process. */
  onError?: (message: string) => void;
}

/**
 * Serves `GET /metrics` in Prometheus text format, `GET /health/liveness` (200 while the event loop
 * turns) and `GET /health/readiness` (200 `{status:'ok',checks}` when every registered dependency
 * answers, 503 with the failing ones otherwise, and from the moment shutdown starts) on a port of
 * its own, for services without an HTTP server; anything else is 404 (405 for another method). Resolves once
 * listening; rejects with a one-line `FlowstackError('unavailable')` naming `METRICS_PORT` or
 * `METRICS_HOST` when it cannot listen (port in use, no such address), so start-up fails clearly.
 */
export function startMetricsListener(options: MetricsListenerOptions): Promise<MetricsListener> {
  const registry = options.registry ?? metricsRegistry;
  const server = createServer((req, res) => serve(registry, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, options)));
    server.listen(options.port, options.host, () => {
      server.removeAllListeners('error');
      server.on('error', (e) => options.onError?.(`metrics listener: ${e.message}`));
      const { port } = server.address() as { port: number };
      resolve({
        port,
        host: options.host,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

const PATHS = ['/metrics', '/health/liveness', '/health/readiness'];

function serve(registry: Registry, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '').split('?', 1)[0];
  if (!PATHS.includes(path)) return text(res, 404, `not found: this port serves GET ${PATHS.join(', ')}\n`);
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    return text(res, 405, `method not allowed: GET ${path}\n`);
  }
  if (path === '/health/liveness') return json(res, 200, { status: 'ok' });
  if (path === '/health/readiness') {
    checkReadiness().then(
      (report) => json(res, report.status === 'ok' ? 200 : 503, report),
      (e: unknown) => json(res, 503, { status: 'failing', error: e instanceof Error ? e.message : String(e) }),
    );
    return;
  }
  registry.metrics().then(
    (body) => {
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    },
    (e: unknown) => text(res, 500, `collecting metrics failed: ${e instanceof Error ? e.message : String(e)}\n`),
  );
}

const text = (res: ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
};

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
};

function listenError(e: NodeJS.ErrnoException, { port, host }: MetricsListenerOptions): FlowstackError {
  const why =
    e.code === 'EADDRINUSE'
      ? `METRICS_PORT ${port} is already in use on ${host}: stop what holds it, choose another METRICS_PORT, or set 0 to turn metrics off`
      : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND'
        ? `METRICS_HOST ${host} is not an address of this machine`
        : e.code === 'EACCES'
          ? `not allowed to listen on METRICS_PORT ${port} (ports below 1024 need privileges)`
          : `cannot listen on ${host}:${port} for metrics (METRICS_HOST, METRICS_PORT): ${e.message}`;
  return new FlowstackError('unavailable', why);
}
