import { ClientProxy, type MsPattern, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import {
  ClosedConnectionError,
  DrainingConnectionError,
  NoRespondersError,
  PermissionViolationError,
  RequestError,
  TimeoutError,
} from '@nats-io/transport-node';
import { FlowstackError, type Namespace, type RequestContext, subject as nsSubject } from '@flowstack/contracts';
import { contextToHeaders } from './context-headers';
import { assertFitsBus } from './payload-limit';
import { rpcPayloadTooLarge } from './rpc.metrics';
import { decodeReply, encodeEnvelope } from './rpc-envelope';

/**
 * What `RpcClient.send(subject, record)` takes: the body, the caller's context (it travels in the
 * headers; a request without one is refused: every service re-checks the workspace from it) and
 * an optional timeout.
 */
export class RpcRecord<T = unknown> {
  constructor(
    readonly payload: T,
    readonly context: RequestContext,
    readonly timeoutMs?: number,
  ) {}
}

/**
 * The Nest `ClientProxy` of our NATS transport (`RpcServer` serves it). `request` is the typed,
 * promise-based call the services use; `send(subject, new RpcRecord(payload, ctx))` is the same
 * call as a Nest Observable (emits the answer once, then completes; errors as below). It uses the
 * service's one NATS connection: `connect` and `close` neither open nor close it (MessagingModule
 * drains it on shutdown).
 *
 * Every failure comes back as a `FlowstackError`:
 * - the service's own typed errors as they were thrown;
 * - `payload_too_large` (not retryable) for a request too big for one bus message, before anything
 *   is sent (counted in `flowstack_payload_too_large_total{what="request"}`);
 * - `unavailable` (retryable) when nobody answers, the answer does not come in time or the
 *   connection is closing;
 * - `internal` when the server's permissions refuse this service the subject (a deployment error);
 * - `internal` for a reply that is not a well-formed envelope.
 */
export class RpcClient extends ClientProxy {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly defaultTimeoutMs = 10_000,
  ) {
    super();
  }

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
      msg = await this.nc.request(nsSubject(this.ns, name), data, { timeout: timeoutMs, headers: contextToHeaders(ctx) });
    } catch (e) {
      throw busFailure(e, name, timeoutMs);
    }
    return decodeReply<TRes>(name, msg.data);
  }

  /** The shared connection is connected by MessagingModule before anything can call. */
  connect(): Promise<NatsConnection> {
    return Promise.resolve(this.nc);
  }

  /** Nothing to do: the connection is the service's, drained by MessagingModule on shutdown. */
  close(): void {}

  unwrap<T>(): T {
    return this.nc as T;
  }

  protected publish(packet: ReadPacket<unknown>, callback: (packet: WritePacket) => void): () => void {
    const record = packet.data;
    if (!(record instanceof RpcRecord)) {
      callback({
        err: new FlowstackError('internal', `send(${String(packet.pattern)}) needs an RpcRecord (payload and caller context)`),
      });
      return () => undefined;
    }
    let cancelled = false;
    void this.request(this.normalizePattern(packet.pattern as MsPattern), record.payload, record.context, record.timeoutMs).then(
      (response: unknown) => {
        if (cancelled) return;
        // Two packets, so an `undefined` answer is still emitted before completion.
        callback({ response });
        callback({ isDisposed: true });
      },
      (err: unknown) => !cancelled && callback({ err }),
    );
    return () => {
      cancelled = true;
    };
  }

  /** Events travel on JetStream (`EventPublisher`), never as fire-and-forget RPC. */
  protected dispatchEvent(packet: ReadPacket): Promise<never> {
    return Promise.reject(
      new FlowstackError('internal', `emit(${String(packet.pattern)}): events are published on JetStream, not over RPC`),
    );
  }
}

/** A nats.js request failure as the typed error callers expect. */
function busFailure(e: unknown, name: string, timeoutMs: number): unknown {
  if (e instanceof NoRespondersError || (e instanceof RequestError && e.isNoResponders())) {
    return new FlowstackError('unavailable', `no service answers ${name}`, undefined, 1);
  }
  if (e instanceof TimeoutError || (e instanceof RequestError && e.cause instanceof TimeoutError)) {
    return new FlowstackError('unavailable', `${name} timed out after ${timeoutMs} ms`, undefined, 1);
  }
  if (e instanceof PermissionViolationError || (e instanceof RequestError && e.cause instanceof PermissionViolationError)) {
    // A deployment whose NATS permissions (deploy/nats) lack this call: retrying cannot help.
    return new FlowstackError('internal', `the bus refused the request to ${name}: this service has no permission to publish it`);
  }
  // nats.js fails a request still waiting when its connection closes with this plain RequestError.
  const closedWhileWaiting = e instanceof RequestError && e.message === 'connection closed';
  if (e instanceof ClosedConnectionError || e instanceof DrainingConnectionError || closedWhileWaiting) {
    return new FlowstackError('unavailable', `no connection to the bus for ${name} (closing)`, undefined, 1);
  }
  return e;
}
