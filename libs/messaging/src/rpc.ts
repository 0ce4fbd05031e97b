import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { NoRespondersError, TimeoutError, RequestError } from '@nats-io/transport-node';
import { FlowstackError, type ErrorBody, type Namespace, type RequestContext, subject as nsSubject } from '@flowstack/contracts';
import { contextFromHeaders, contextToHeaders } from './context-headers';

/** Reply envelope on the wire: exactly one of `data` or `error`. */
type Reply<T> = { data: T } | { error: ErrorBody };

export type RpcHandler<TReq, TRes> = (payload: TReq, ctx: RequestContext) => Promise<TRes> | TRes;

export interface RpcLogger {
  error(message: string, meta?: Record<string, unknown>): void;
}

const encoder = new TextEncoder();
const encode = (v: unknown): Uint8Array => encoder.encode(JSON.stringify(v ?? null));

/**
 * Serves request-reply subjects in one queue group per service, so replicas share the load.
 * A handler's `FlowstackError` reaches the caller typed; any other exception is logged and answered
 * as `internal` without leaking its message.
 */
export class RpcServer {
  private readonly subs: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly queue: string,
    private readonly logger: RpcLogger,
  ) {}

  handle<TReq, TRes>(name: string, handler: RpcHandler<TReq, TRes>): void {
    const sub = this.nc.subscribe(nsSubject(this.ns, name), {
      queue: this.queue,
      callback: (err, msg) => {
        if (err) {
          this.logger.error(`subscription ${name} failed`, { error: String(err) });
          return;
        }
        void this.dispatch(name, msg, handler);
      },
    });
    this.subs.push(sub);
  }

  private async dispatch<TReq, TRes>(name: string, msg: Msg, handler: RpcHandler<TReq, TRes>): Promise<void> {
    let reply: Reply<TRes>;
    try {
      const payload = (msg.data.length ? msg.json() : undefined) as TReq;
      reply = { data: await handler(payload, contextFromHeaders(msg.headers)) };
    } catch (e) {
      if (e instanceof FlowstackError) {
        reply = { error: e.toBody() };
      } else {
        this.logger.error(`handler ${name} threw`, { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        reply = { error: { code: 'internal', message: 'internal error' } };
      }
    }
    if (msg.reply) msg.respond(encode(reply));
  }

  /** Stops taking new requests and lets in-flight ones answer. */
  async drain(): Promise<void> {
    await Promise.all(this.subs.map((s) => s.drain()));
  }
}

/** Sends typed requests with the caller's context in headers; errors come back as `FlowstackError`. */
export class RpcClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly defaultTimeoutMs = 10_000,
  ) {}

  async request<TRes, TReq = unknown>(
    name: string,
    payload: TReq,
    ctx: RequestContext,
    timeoutMs = this.defaultTimeoutMs,
  ): Promise<TRes> {
    let msg: Msg;
    try {
      msg = await this.nc.request(nsSubject(this.ns, name), encode(payload), {
        timeout: timeoutMs,
        headers: contextToHeaders(ctx),
      });
    } catch (e) {
      if (e instanceof NoRespondersError || (e instanceof RequestError && e.isNoResponders())) {
        throw new FlowstackError('unavailable', `no service answers ${name}`, undefined, 1);
      }
      if (e instanceof TimeoutError || (e instanceof RequestError && e.cause instanceof TimeoutError)) {
        throw new FlowstackError('unavailable', `${name} timed out after ${timeoutMs} ms`, undefined, 1);
      }
      throw e;
    }
    const reply = msg.json<Reply<TRes>>();
    if ('error' in reply) throw FlowstackError.fromBody(reply.error);
    return reply.data;
  }
}
