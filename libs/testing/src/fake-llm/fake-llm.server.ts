import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FakeLlmReply, FakeMessageReply } from './fake-llm.script';
import type { FakeRequestBody, VendorWire } from './wire-helpers';
import { anthropicWire } from './anthropic.wire';
import { openaiWire } from './openai.wire';

/** One request the fake received, with its parsed JSON body. */
export interface FakeLlmRequest {
  path: string;
  headers: IncomingMessage['headers'];
  /** The JSON body as sent; tests read the vendor's shapes from it freely. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  stream: boolean;
  /** True once the client closed the connection before the answer was complete (an abort). */
  closedEarly: boolean;
  /** True once the answer was written in full. */
  completed: boolean;
  /** Streaming: when the first content chunk was written (`performance.timeOrigin + performance.now()`, ms). */
  firstChunkAt?: number;
}

export interface FakeLlmServerOptions {
  /** Streaming pace: content chunks per second (each text chunk is about one token). Default: no delay. */
  tokensPerSecond?: number;
}

/**
 * A real HTTP server on 127.0.0.1 that speaks one LLM vendor's API (Anthropic `POST /v1/messages`
 * or OpenAI `POST /v1/chat/completions`), for tests of the official SDKs. Replies come from a queue
 * scripted per test; every request is recorded (to assert what was sent) and a client that closes
 * the connection mid-answer is seen (`closedEarly`). An empty queue answers 500 with a message
 * saying so, so a test that makes more calls than it scripted fails loudly.
 */
export class FakeLlmServer {
  readonly requests: FakeLlmRequest[] = [];
  private readonly queue: FakeLlmReply[] = [];
  private cycle: FakeLlmReply[] = [];
  private cycleAt = 0;
  private readonly wire: VendorWire;
  private server?: Server;
  private nextId = 0;
  private holding = false;
  private readonly held: Array<() => void> = [];
  private streamGate?: (request: FakeLlmRequest) => Promise<void>;
  port = 0;

  constructor(
    readonly vendor: 'anthropic' | 'openai',
    private readonly options: FakeLlmServerOptions = {},
  ) {
    this.wire = vendor === 'anthropic' ? anthropicWire : openaiWire;
  }

  /** Base URL for the SDK: `http://127.0.0.1:<port>` (Anthropic) or `.../v1` (OpenAI). */
  get baseUrl(): string {
    return this.vendor === 'anthropic' ? `http://127.0.0.1:${this.port}` : `http://127.0.0.1:${this.port}/v1`;
  }

  enqueue(...replies: FakeLlmReply[]): this {
    this.queue.push(...replies);
    // Requests held on an empty queue take the new replies, first come first served.
    for (const wake of this.held.splice(0, replies.length)) wake();
    return this;
  }

  /**
   * While on, a request that finds the queue empty waits (its connection open, nothing written)
   * until a reply is enqueued, instead of answering 500: a test can hold a turn in flight.
   */
  holdWhenEmpty(on: boolean): this {
    this.holding = on;
    if (!on) for (const wake of this.held.splice(0)) wake();
    return this;
  }

  /**
   * While set, a streaming answer waits for `gate(request)` before it writes anything (its
   * connection open): a benchmark can let the clients that watch a run connect before its first
   * token, so none of them misses it. `undefined` removes the gate.
   */
  gateStreams(gate: ((request: FakeLlmRequest) => Promise<void>) | undefined): this {
    this.streamGate = gate;
    return this;
  }

  /** Requests waiting for a reply (see `holdWhenEmpty`). */
  get heldRequests(): number {
    return this.held.length;
  }

  /** Replies served in turn, round and round, once the queue is empty (for benchmarks). */
  repeat(...replies: FakeLlmReply[]): this {
    this.cycle = replies;
    this.cycleAt = 0;
    return this;
  }

  /** Replies scripted but not yet served. */
  get pending(): number {
    return this.queue.length;
  }

  setTokensPerSecond(rate: number | undefined): void {
    this.options.tokensPerSecond = rate;
  }

  async start(): Promise<this> {
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
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let body: FakeRequestBody | null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as FakeRequestBody | null;
    } catch {
      body = null;
    }
    const record: FakeLlmRequest = {
      path,
      headers: req.headers,
      body,
      stream: body?.stream === true,
      closedEarly: false,
      completed: false,
    };
    this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.closedEarly = true;
    });
    if (req.method !== 'POST' || path !== this.wire.path) {
      return this.sendJson(res, record, 404, {
        error: { type: 'not_found_error', message: `fake ${this.vendor}: no route ${req.method} ${path}` },
      });
    }
    if (this.holding && this.queue.length === 0) {
      await new Promise<void>((wake) => {
        this.held.push(wake);
        // A client that goes away (a killed runner) stops waiting and takes no reply.
        res.once('close', () => {
          const at = this.held.indexOf(wake);
          if (at >= 0) this.held.splice(at, 1);
          wake();
        });
      });
      if (res.destroyed || record.closedEarly) return;
    }
    const reply = this.queue.shift() ?? (this.cycle.length ? this.cycle[this.cycleAt++ % this.cycle.length] : undefined);
    if (!reply) {
      return this.sendJson(res, record, 500, {
        error: { type: 'api_error', message: `fake ${this.vendor}: no scripted reply left` },
      });
    }
    if (reply.type === 'error') {
      return this.sendJson(res, record, reply.status, reply.body ?? this.wire.errorBody(reply), reply.headers);
    }
    const ids = (): string => `${++this.nextId}`.padStart(6, '0');
    if (!record.stream) return this.sendJson(res, record, 200, this.wire.json(reply, body, ids));
    if (this.streamGate) {
      await this.streamGate(record);
      if (res.destroyed || record.closedEarly) return;
    }
    await this.stream(res, record, reply, this.wire.frames(reply, body, ids));
  }

  private sendJson(
    res: ServerResponse,
    record: FakeLlmRequest,
    status: number,
    json: unknown,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(json), () => (record.completed = true));
  }

  private async stream(
    res: ServerResponse,
    record: FakeLlmRequest,
    reply: FakeMessageReply,
    frames: { frame: string; content: boolean }[],
  ): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const delayMs = this.options.tokensPerSecond ? 1000 / this.options.tokensPerSecond : 0;
    let content = 0;
    for (const { frame, content: isContent } of frames) {
      if (record.closedEarly || res.destroyed) return;
      if (isContent) {
        if (reply.cutAfterChunks !== undefined && content >= reply.cutAfterChunks) {
          if (reply.cutMode === 'end') res.end();
          else res.destroy();
          return;
        }
        content++;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (record.closedEarly || res.destroyed) return;
      }
      if (isContent && record.firstChunkAt === undefined) record.firstChunkAt = performance.timeOrigin + performance.now();
      // Waiting for each write to reach the socket makes a cut land after the bytes before it,
      // as a real broken connection would (a destroy right after buffered writes loses them).
      await new Promise<void>((resolve) => res.write(frame, () => resolve()));
    }
    res.end(() => (record.completed = true));
  }
}
