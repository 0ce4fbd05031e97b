import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A local server for the pipelines' http nodes. `/hang` never answers and records when the
 * client's connection closes; every other path answers `{ path, body }` as JSON.
 */
export class Upstream {
  readonly calls: Array<{ path: string; body: any }> = [];
  /** Runs whose `/hang` request arrived, and whose connection then closed. */
  readonly hanging = new Set<string>();
  readonly closed = new Set<string>();
  private readonly server: Server = createServer((req, res) => void this.handle(req, res));
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  callsTo(path: string, run: string): number {
    return this.calls.filter((c) => c.path === path && c.body?.run === run).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    const body = text ? JSON.parse(text) : undefined;
    const path = new URL(req.url ?? '/', this.url).pathname;
    this.calls.push({ path, body });
    if (path === '/hang') {
      const run = String(body?.run);
      this.hanging.add(run);
      // Never answered: only the client going away ends this exchange.
      res.on('close', () => this.closed.add(run));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path, body }));
  }
}
