import type { NatsConnection } from '@nats-io/transport-node';
import { FlowstackError, Limits } from '@flowstack/contracts';

/** Room left for NATS headers (context, `Nats-Msg-Id`, trace) on top of a message's payload. */
export const HEADER_ALLOWANCE_BYTES = 4 * 1024;

/** The largest payload this connection's server accepts (`max_payload`), or the platform default. */
export const maxPayloadOf = (nc: Pick<NatsConnection, 'info'>): number => nc.info?.max_payload ?? Limits.busMessageBytes;

/** Whether `bytes` of payload (plus headers) fit in one message on this connection. */
export const fitsBus = (nc: Pick<NatsConnection, 'info'>, bytes: number): boolean =>
  bytes + HEADER_ALLOWANCE_BYTES <= maxPayloadOf(nc);

/**
 * Checks a payload before it is published or sent as a reply. nats.js throws `max_payload size
 * exceeded` synchronously from `publish`/`respond`, outside any promise: callers that did not check
 * first crashed on it. Throws a typed `payload_too_large` naming what was being sent.
 */
export function assertFitsBus(nc: Pick<NatsConnection, 'info'>, data: Uint8Array, what: string): void {
  if (fitsBus(nc, data.length)) return;
  throw new FlowstackError(
    'payload_too_large',
    `${what} is ${data.length} bytes; one message on the bus carries at most ${maxPayloadOf(nc) - HEADER_ALLOWANCE_BYTES}`,
  );
}
