import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One request the target received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type RouteHandler = (
  req: ReceivedRequest,
) => Promise<{ status?: number; json?: unknown; text?: string }> | { status?: number; json?: unknown; text?: string };

/**
 * A real HTTP server on 127.0.0.1 standing in for the APIs that workflow tools call; it records
 * every request so tests can count calls (e.g. at most one extra call per crashed attempt).
 */
export class HttpTarget {
  readonly received: ReceivedRequest[] = [];
  private readonly routes = new Map<string, RouteHandler>();
  private server?: Server;
  port = 0;

  route(method: string, path: string, handler: RouteHandler): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  calls(path: string): number {
    return this.received.filter((r) => r.path === path).length;
  }

  async start(): Promise<this> {
    // A client that goes away mid-request (a killed tool-runner, an aborted fetch) makes reading the
    // body throw: that ends the exchange, it must not become an unhandled rejection in the test run.
    this.server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const received: ReceivedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    };
    this.received.push(received);
    const handler = this.routes.get(`${received.method} ${received.path}`);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no route' }));
      return;
    }
    try {
      const answer = await handler(received);
      if (res.destroyed) return;
      if (answer.json !== undefined) {
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
      } else {
        res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain' }).end(answer.text ?? '');
      }
    } catch (e) {
      if (!res.destroyed) res.writeHead(500).end(String(e));
    }
  }
}
