import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Header } from '@flowstack/contracts';
import { encodeJson } from '@flowstack/messaging';
import { ExecutionEventsHub } from './execution-events.hub';
import type { LiveEvent } from './live-event';

const EXECUTION = '0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab';

/** One EVENTS message as the consumer hands it over (only what `dispatch` reads). */
const message = (data: Uint8Array): Pick<JsMsg, 'headers' | 'data' | 'subject'> =>
  ({
    subject: `events.w1.execution.${EXECUTION}`,
    data,
    headers: { get: (name: string) => (name === Header.streamId ? `execution-${EXECUTION}` : '') },
  }) as unknown as Pick<JsMsg, 'headers' | 'data' | 'subject'>;

const stored = { streamPosition: 3, type: 'NodeCompleted', data: { nodeId: 'a' }, recordedAt: '2026-01-01T00:00:00.000Z' };

describe('ExecutionEventsHub.dispatch', () => {
  // The consumer is never started here: dispatch is the fan-out alone.
  const hub = new ExecutionEventsHub({} as JetStreamClient, '' as never);

  it('gives every listener the event even when one of them throws, and never throws itself', () => {
    const got: LiveEvent[] = [];
    const unsubscribeBad = hub.subscribe(EXECUTION, () => {
      throw new Error('socket gone');
    });
    const unsubscribeGood = hub.subscribe(EXECUTION, (event) => got.push(event));
    expect(() => hub.dispatch(message(encodeJson(stored)))).not.toThrow();
    expect(got).toEqual([{ seq: 3, type: 'NodeCompleted', data: { nodeId: 'a' }, recordedAt: stored.recordedAt }]);
    unsubscribeBad();
    unsubscribeGood();
  });

  it('skips an undecodable event without throwing', () => {
    const got: LiveEvent[] = [];
    const unsubscribe = hub.subscribe(EXECUTION, (event) => got.push(event));
    expect(() => hub.dispatch(message(new TextEncoder().encode('{not json')))).not.toThrow();
    expect(got).toEqual([]);
    unsubscribe();
  });
});
