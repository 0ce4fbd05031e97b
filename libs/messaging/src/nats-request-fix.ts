import { RequestError, RequestOne } from '@nats-io/nats-core/internal';

/**
 * nats.js 3.4 ends every request that got its answer with `cancel()`, which rejects the request's
 * (already resolved, so unobservable) promise with a freshly built `RequestError("cancelled")`.
 * Building an Error captures a stack trace: in the benchmark's W2 that was 5% of the
 * orchestrator's busy CPU, since every RPC and every JetStream publish is a request. This keeps
 * `cancel` as it is for a request still waiting (a real cancel rejects it, as before) and skips
 * the Error only when the answer already settled it.
 *
 * Installed once, on import of `@flowstack/messaging`; a nats.js whose `RequestOne` no longer has
 * this shape is left alone (`installed` says which).
 */
interface PatchedRequest {
  resolver(err: Error | null, msg: unknown): void;
  cancel(err?: Error): void;
  timer?: { cancel(): void };
  mux: { cancel(r: unknown): void };
  deferred: { reject(e: unknown): void };
  answered?: boolean;
}

function install(): boolean {
  const proto = RequestOne.prototype as unknown as PatchedRequest & { __flowstackFix?: true };
  if (proto.__flowstackFix) return true;
  if (typeof proto.resolver !== 'function' || typeof proto.cancel !== 'function') return false;
  const { resolver } = Object.getOwnPropertyDescriptors(RequestOne.prototype) as {
    resolver: TypedPropertyDescriptor<PatchedRequest['resolver']>;
  };
  const original = resolver.value!;
  proto.resolver = function (this: PatchedRequest, err, msg) {
    this.answered = true;
    original.call(this, err, msg);
  };
  proto.cancel = function (this: PatchedRequest, err?: Error) {
    this.timer?.cancel();
    this.mux.cancel(this);
    if (err) this.deferred.reject(err);
    else if (!this.answered) this.deferred.reject(new RequestError('cancelled'));
  };
  proto.__flowstackFix = true;
  return true;
}

/** Whether the fix is in place (false: this nats.js changed `RequestOne`; nothing was touched). */
export const natsRequestFixInstalled = install();
