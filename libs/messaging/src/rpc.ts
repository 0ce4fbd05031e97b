import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import {
  ClosedConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { FlowstackError, type Namespace, type RequestContext, subject as nsSubject } from '@flowstack/contracts';
import { contextFromHeaders, contextToHeaders } from './context-headers';
import { assertFitsBus } from './payload-limit';
import { rpcPayloadTooLarge } from './rpc.metrics';
import { decodeReply, decodeRequestPayload, encodeEnvelope, encodeReply, type Reply } from './rpc-envelope';

export type RpcHandler<TReq, TRes> = (payload: TReq, ctx: RequestContext) => Promise<TRes> | TRes;

export interface RpcLogger {
  error(message: string, meta?: Record<string, unknown>): void;
}

const describeError = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

/**
 * Serves request-reply subjects in one queue group per service, so replicas share the load.
 *
 * - A handler's `FlowstackError` reaches the caller typed; any other exception is logged and
 *   answered as `internal` without leaking its message.
 * - A payload that is not JSON is answered `validation_failed`; the handler is not called.
 * - Every reply is encoded once and size-checked before `respond`: an answer larger than the bus
 *   carries is logged and replaced by a `payload_too_large` error (not retryable: the same request
 *   gets the same answer), so the caller gets a typed error at once instead of a timeout; it
 *   counts in `flowstack_payload_too_large_total{what="reply"}`.
 * - Nothing thrown while serving a request ever escapes into the NATS callback (where it would be
 *   an uncaught exception): the subscription keeps serving the next request.
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
        try {
          if (err) {
            this.logger.error(`subscription ${name} failed`, { error: String(err) });
            return;
          }
          this.dispatch(name, msg, handler).catch((e: unknown) =>
            this.logger.error(`handler ${name} could not answer`, { error: describeError(e) }),
          );
        } catch (e) {
          this.logger.error(`subscription ${name} callback threw`, { error: describeError(e) });
        }
      },
    });
    this.subs.push(sub);
  }

  private async dispatch<TReq, TRes>(name: string, msg: Msg, handler: RpcHandler<TReq, TRes>): Promise<void> {
    const reply = await this.answer(name, msg, handler);
    if (!msg.reply) return;
    const encoded = encodeReply(this.nc, name, reply);
    if (encoded.replaced) {
      if (encoded.replaced.code === 'payload_too_large') rpcPayloadTooLarge.reply.inc();
      this.logger.error(`handler ${name}: answer replaced by ${encoded.replaced.code}`, { detail: encoded.replaced.detail });
    }
    try {
      msg.respond(encoded.bytes);
    } catch (e) {
      // A closed or draining connection, or a server limit below what it announced: nothing to answer on.
      this.logger.error(`handler ${name}: respond failed`, { error: describeError(e) });
    }
  }

  private async answer<TReq, TRes>(name: string, msg: Msg, handler: RpcHandler<TReq, TRes>): Promise<Reply<TRes>> {
    try {
      const payload = decodeRequestPayload(msg.data) as TReq;
      return { data: await handler(payload, contextFromHeaders(msg.headers)) };
    } catch (e) {
      if (e instanceof FlowstackError) return { error: e.toBody() };
      this.logger.error(`handler ${name} threw`, { error: describeError(e) });
      return { error: { code: 'internal', message: 'internal error' } };
    }
  }

  /** Stops taking new requests and lets in-flight ones answer. */
  async drain(): Promise<void> {
    await Promise.all(this.subs.map((s) => s.drain()));
  }
}

/**
 * Sends typed requests with the caller's context in headers; every failure comes back as a
 * `FlowstackError`:
 * - the service's own typed errors as they were thrown;
 * - `payload_too_large` (not retryable) for a request too big for one bus message, before anything
 *   is sent (counted in `flowstack_payload_too_large_total{what="request"}`);
 * - `unavailable` (retryable) when nobody answers, the answer does not come in time or the
 *   connection is closing;
 * - `internal` when the server's permissions refuse this service the subject (a deployment error);
 * - `internal` for a reply that is not a well-formed envelope.
 */
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
    const data = encodeEnvelope(payload);
    try {
      assertFitsBus(this.nc, data, `the request to ${name}`);
    } catch (e) {
      rpcPayloadTooLarge.request.inc();
      throw e;
    }
    let msg: Msg;
    try {
      msg = await this.nc.request(nsSubject(this.ns, name), data, {
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
      if (e instanceof PermissionViolationError || (e instanceof RequestError && e.cause instanceof PermissionViolationError)) {
        // A deployment whose NATS permissions (deploy/nats) lack this call: retrying cannot help.
        throw new FlowstackError(
          'internal',
          `the bus refused the request to ${name}: this service has no permission to publish it`,
        );
      }
      if (e instanceof ClosedConnectionError || e instanceof DrainingConnectionError) {
        throw new FlowstackError('unavailable', `no connection to the bus for ${name} (closing)`, undefined, 1);
      }
      throw e;
    }
    return decodeReply<TRes>(name, msg.data);
  }
}
