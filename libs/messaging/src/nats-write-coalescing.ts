import { ProtocolHandler, TE } from '@nats-io/nats-core/internal';

/**
 * nats.js 3.4 writes its outbound buffer to the socket on the microtask after the first command
 * that finds it empty. A service's work for one incoming message runs as a chain of awaits (decide,
 * append, publish the events, publish the task, answer), every link a microtask of its own, so
 * nearly every publish became a socket write (a syscall, a write request and a promise): in the
 * benchmark's W9, 16% of the orchestrator's busy CPU was `writeBuffer` under nats.js's `_send`.
 *
 * This waits `FLUSH_AFTER_MICROTASKS` microtasks before the write, so the commands of one chain
 * leave together, and never past the current macrotask: measured on W9/W3 (same hour), flushing
 * on `setImmediate` cut W9's ratio from 1.46 to 1.09 but added 20 ms to W3's commit-to-client
 * p99 (a publish waited for the whole turn's other I/O callbacks); 64 microtasks, 1.08 and +17 ms;
 * 16, 1.20 and +2 ms (within noise). A buffer past nats.js's flush threshold is still written at
 * once, as before.
 *
 * Installed once, on import of `@flowstack/messaging`; a nats.js whose `ProtocolHandler` no longer
 * has this shape is left alone (`natsWriteCoalescingInstalled` says which).
 */
export const FLUSH_AFTER_MICROTASKS = 16;

interface Handler {
  outbound: { length(): number; size(): number; fill(data: Uint8Array, ...more: Uint8Array[]): void };
  pendingLimit: number;
  flushPending(): void;
  sendCommand(cmd: string | Uint8Array, ...payloads: Uint8Array[]): void;
}

function install(): boolean {
  const proto = ProtocolHandler.prototype as unknown as Handler & { __flowstackCoalescing?: true };
  if (proto.__flowstackCoalescing) return true;
  if (typeof proto.sendCommand !== 'function' || typeof proto.flushPending !== 'function') return false;
  proto.sendCommand = function (this: Handler, cmd, ...payloads) {
    const empty = this.outbound.length() === 0;
    this.outbound.fill(typeof cmd === 'string' ? TE.encode(cmd) : cmd, ...payloads);
    if (empty) {
      let hops = FLUSH_AFTER_MICROTASKS;
      const later = (): void => {
        if (--hops > 0) queueMicrotask(later);
        else this.flushPending();
      };
      queueMicrotask(later);
    } else if (this.outbound.size() >= this.pendingLimit) {
      this.flushPending();
    }
  };
  proto.__flowstackCoalescing = true;
  return true;
}

/** Whether the patch is in place (false: this nats.js changed `ProtocolHandler`; nothing was touched). */
export const natsWriteCoalescingInstalled = install();
