import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/**
 * A small real MCP server (the SDK's `McpServer` over stateless streamable HTTP on 127.0.0.1,
 * path `/mcp`) whose tools a test can change while it runs: `lookup` (answers a grant for a
 * query, `description` changeable), `slow` (waits `ms` before answering), `big` (answers `bytes`
 * characters) and `fail` (answers `isError: true`). It records every request's headers, and `stop()` / `start()` on the same port
 * stand in for a server that goes down and comes back.
 */
export class McpTestServer {
  readonly headers: IncomingHttpHeaders[] = [];
  readonly calls: { tool: string; args: Record<string, unknown> }[] = [];
  /** What `lookup` tells the model; change it to change the tool's definition. */
  lookupDescription = 'Looks up grant announcements for a query';
  /** When set, a request without `Authorization: Bearer <requiredToken>` answers 401. */
  requiredToken?: string;
  private server?: Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.headers.push(req.headers);
      if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
      }
      if (this.requiredToken !== undefined && req.headers.authorization !== `Bearer ${this.requiredToken}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
        return;
      }
      const mcp = this.build();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      void mcp
        .connect(transport)
        .then(() => transport.handleRequest(req, res))
        .catch(() => res.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private build(): McpServer {
    const mcp = new McpServer({ name: 'flowstack-test-mcp', version: '1.0.0' });
    mcp.registerTool('lookup', { description: this.lookupDescription, inputSchema: { query: z.string() } }, ({ query }) => {
      this.calls.push({ tool: 'lookup', args: { query } });
      return {
        content: [{ type: 'text' as const, text: `found 2 grants for ${query}` }],
        structuredContent: { query, grants: ['Horizon', 'Seed'] },
      };
    });
    mcp.registerTool(
      'slow',
      { description: 'Answers after ms milliseconds', inputSchema: { ms: z.number() } },
      async ({ ms }) => {
        this.calls.push({ tool: 'slow', args: { ms } });
        await new Promise((r) => setTimeout(r, ms));
        return { content: [{ type: 'text' as const, text: `waited ${ms}` }] };
      },
    );
    mcp.registerTool('big', { description: 'Answers bytes characters', inputSchema: { bytes: z.number() } }, ({ bytes }) => {
      this.calls.push({ tool: 'big', args: { bytes } });
      return { content: [{ type: 'text' as const, text: 'x'.repeat(bytes) }] };
    });
    mcp.registerTool('fail', { description: 'Always fails', inputSchema: {} }, () => {
      this.calls.push({ tool: 'fail', args: {} });
      return { content: [{ type: 'text' as const, text: 'the upstream API is broken' }], isError: true };
    });
    return mcp;
  }
}
