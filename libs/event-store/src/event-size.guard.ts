import { FlowstackError, Limits } from '@flowstack/contracts';

/**
 * Refuses an event whose data (as JSON) is larger than `Limits.maxEventBytes`, before it is
 * stored: an event too large to publish would block the outbox relay's checkpoint for every
 * tenant, forever. Writers keep events small by storing large values out of band (claim checks);
 * this is the defence behind them. Throws `payload_too_large` (not retryable: the same event is
 * refused again). Measures bytes only when the string length cannot decide.
 */
export function assertEventFits(streamId: string, type: string, json: string, limit: number = Limits.maxEventBytes): void {
  // A UTF-16 unit is 1 to 3 UTF-8 bytes: short strings fit, long ones are over, without counting.
  if (json.length * 3 <= limit) return;
  const bytes = json.length > limit ? json.length : Buffer.byteLength(json, 'utf8');
  if (bytes <= limit) return;
  throw new FlowstackError(
    'payload_too_large',
    `event ${type} of ${streamId} is ${json.length > limit ? 'at least ' : ''}${bytes} bytes of data; an event may carry at most ${limit}`,
  );
}
