import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { isObservable, lastValueFrom } from 'rxjs';
import { FlowstackError, runWithLogContext, traceIdOf, type Namespace, subject as nsSubject } from '@flowstack/contracts';
import { RpcContext } from './rpc.context';
import { rpcPayloadTooLarge } from './rpc.metrics';
import { decodeRequestPayload, encodeReply, type Reply } from './rpc-envelope';
import { startRpcSpan } from './rpc.tracing';

/** Where the transport reports what it cannot answer (the spec captures it). */
export interface RpcLogger {
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface RpcServerOptions {
  /** How long `close()` waits for in-flight requests to answer; default 10 s. */
  drainTimeoutMs?: number;
  logger?: RpcLogger;
}

const describeError = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));
const INTERNAL: Reply<never> = { error: { code: 'internal', message: 'internal error' } };
/** Subject tokens a pattern may use: no wildcards, no spaces, not an object pattern. */
const SUBJECT_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const nestLogger = (): RpcLogger => {
  const logger = new Logger('rpc');
  return { error: (message, meta) => logger.error(`${message}${meta ? ` ${JSON.stringify(meta)}` : ''}`) };
};

/**
 * Our Nest transport strategy on nats.js v3: serves every `@MessagePattern(subject)` of the app on
 * `<FLOWSTACK_NS>.<subject>` in one queue group per service (replicas share the load), on the
 * service's one NATS connection (MessagingModule's; it is not closed here). The wire format is our
 * envelope (`rpc-envelope.ts`: JSON body in, `{ data }` or `{ error }` out), not Nest's packet.
 *
 * - A handler's `FlowstackError` reaches the caller typed; any other exception is logged and
 *   answered `internal` without its message. (Nest's exception layer would turn both into a
 *   generic error: `RpcErrorFilter` hands us the exception as thrown; `startRpcMicroservice`
 *   installs it.)
 * - A payload that is not JSON is answered `validation_failed`; the handler is not called.
 * - Every reply is encoded once and size-checked before `respond`: an answer larger than the bus
 *   carries is logged and replaced by `payload_too_large` (not retryable), counted in
 *   `flowstack_payload_too_large_total{what="reply"}`.
 * - Nothing thrown while serving a request ever escapes into the NATS callback: the subscription
 *   keeps serving the next request.
 * - `close()` drains: the subscriptions stop taking new requests, then the requests already taken
 *   answer (up to `drainTimeoutMs`). Nest calls it before the shutdown hooks, so the connection
 *   and the database are still open while they do.
 *
 * Hot path: the handler's promise is awaited directly; rxjs is touched only when a handler returns
 * an Observable or fails (the filter's `throwError`). Nest's `handleRequest`/`send` (an rxjs pipe
 * and a `nextTick` queue per request, built for streaming replies) are not used: NATS request-reply
 * answers once.
 */
export class RpcServer extends Server implements CustomTransportStrategy {
  private readonly subs: Subscription[] = [];
  private readonly drainTimeoutMs: number;
  private readonly log: RpcLogger;
  private inFlight = 0;
  private idle?: () => void;
  private closing?: Promise<void>;

  /**
   * @param queue the queue group: the service's name (`registry`, `identity`, ...).
   */
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly queue: string,
    options: RpcServerOptions = {},
  ) {
    super();
    this.drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
    this.log = options.logger ?? nestLogger();
  }

  /** Subscribes every registered pattern; `@EventPattern`s are refused (events travel on JetStream). */
  listen(callback: (error?: unknown) => void): void {
    try {
      if (this.closing) throw new Error('this RPC server was closed; create a new one');
      if (this.subs.length === 0) {
        for (const [pattern, handler] of this.getHandlers()) this.subscribe(pattern, handler);
      }
    } catch (e) {
      callback(e);
      return;
    }
    // `subscribe` only queues the SUBs: a flush round trip makes sure the server has them before
    // the service says it is listening, so a caller never gets "no responders" from a ready service.
    this.nc.flush().then(
      () => {
        this._status$.next('listening');
        callback();
      },
      (e: unknown) => callback(e),
    );
  }

  /** Stops taking new requests and lets in-flight ones answer. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.drain();
    return this.closing;
  }

  /** The NATS connection (shared with the rest of the service). */
  unwrap<T>(): T {
    return this.nc as T;
  }

  on(): never {
    throw new Error('RpcServer has no events of its own: the shared connection is watched by logConnectionStatus');
  }

  private subscribe(pattern: string, handler: MessageHandler): void {
    if (handler.isEventHandler) {
      throw new Error(`@EventPattern('${pattern}') is not served over request-reply: publish events on JetStream`);
    }
    if (!SUBJECT_PATTERN.test(pattern)) {
      throw new Error(`@MessagePattern(${pattern}) is not a NATS subject of dot-separated tokens`);
    }
    const queue = (handler.extras?.queue as string | undefined) ?? this.queue;
    const sub = this.nc.subscribe(nsSubject(this.ns, pattern), {
      queue,
      callback: (err, msg) => {
        try {
          if (err) {
            this.log.error(`subscription ${pattern} failed`, { error: String(err) });
            return;
          }
          this.inFlight++;
          void this.serve(pattern, handler, msg);
        } catch (e) {
          this.log.error(`subscription ${pattern} callback threw`, { error: describeError(e) });
        }
      },
    });
    this.subs.push(sub);
  }

  /** Answers one request; never rejects. */
  private async serve(pattern: string, handler: MessageHandler, msg: Msg): Promise<void> {
    const endSpan = startRpcSpan(pattern, msg.subject, msg.headers);
    try {
      const reply = await this.answer(pattern, handler, msg);
      endSpan?.('error' in reply ? reply.error.code : undefined);
      if (!msg.reply) return;
      const encoded = encodeReply(this.nc, pattern, reply);
      if (encoded.replaced) {
        if (encoded.replaced.code === 'payload_too_large') rpcPayloadTooLarge.reply.inc();
        this.log.error(`handler ${pattern}: answer replaced by ${encoded.replaced.code}`, { detail: encoded.replaced.detail });
      }
      try {
        msg.respond(encoded.bytes);
      } catch (e) {
        // A closed or draining connection, or a server limit below what it announced: nothing to answer on.
        this.log.error(`handler ${pattern}: respond failed`, { error: describeError(e) });
      }
    } catch (e) {
      this.log.error(`handler ${pattern} could not answer`, { error: describeError(e) });
    } finally {
      if (--this.inFlight === 0) this.idle?.();
    }
  }

  private async answer(pattern: string, handler: MessageHandler, msg: Msg): Promise<Reply<unknown>> {
    try {
      const payload = decodeRequestPayload(msg.data);
      const ctx = new RpcContext(msg.subject, msg.headers);
      const { workspaceId, traceparent } = ctx.requestContext;
      const result: unknown = await runWithLogContext({ workspaceId, traceId: traceIdOf(traceparent) }, () =>
        handler(payload, ctx),
      );
      return { data: isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result };
    } catch (e) {
      if (e instanceof FlowstackError) return { error: e.toBody() };
      this.log.error(`handler ${pattern} threw`, { error: describeError(e) });
      return INTERNAL;
    }
  }

  private async drain(): Promise<void> {
    // A connection already closed has no subscriptions left to drain.
    await Promise.allSettled(this.subs.map((s) => s.drain()));
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.idle = resolve;
        timer = setTimeout(() => {
          this.log.error(`closing with ${this.inFlight} request(s) unanswered after ${this.drainTimeoutMs} ms`);
          resolve();
        }, this.drainTimeoutMs);
      });
      clearTimeout(timer);
    }
    this._status$.next('closed');
  }
}
