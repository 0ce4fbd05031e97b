import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Header } from '@flowstack/contracts';
import { encodeJson } from '@flowstack/messaging';
import { waitFor } from '@flowstack/testing';
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

/** A JetStream client whose ordered consumers are fakes: counts how many run, and lets a start fail. */
function fakeJetStream(options: { failFirst?: boolean } = {}) {
  let starts = 0;
  let running = 0;
  let fail = options.failFirst ?? false;
  const js = {
    consumers: {
      get: () => {
        starts++;
        if (fail) {
          fail = false;
          return Promise.reject(new Error('no responders'));
        }
        return Promise.resolve({
          consume: () => {
            running++;
            let stop!: () => void;
            const stopped = new Promise<void>((resolve) => (stop = resolve));
            return Promise.resolve({
              stop: () => {
                running--;
                stop();
              },
              async *[Symbol.asyncIterator]() {
                await stopped;
              },
            });
          },
        });
      },
    },
  } as unknown as JetStreamClient;
  return { js, starts: () => starts, running: () => running };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExecutionEventsHub on demand', () => {
  it('runs no consumer until someone listens, then one, up before ready() resolves', async () => {
    const fake = fakeJetStream();
    const hub = new ExecutionEventsHub(fake.js, '' as never);
    expect(fake.starts()).toBe(0);
    const a = hub.subscribe(EXECUTION, () => undefined);
    const b = hub.subscribe('another', () => undefined);
    await hub.ready();
    expect(hub.consuming).toBe(true);
    expect(fake.starts()).toBe(1);
    a();
    b();
    await hub.onApplicationShutdown();
  });

  it('stops the consumer idleStopMs after the last listener left, unless one came back', async () => {
    const fake = fakeJetStream();
    const hub = new ExecutionEventsHub(fake.js, '' as never);
    hub.idleStopMs = 30;
    const first = hub.subscribe(EXECUTION, () => undefined);
    await hub.ready();
    first();
    await wait(10);
    const again = hub.subscribe(EXECUTION, () => undefined);
    // Past the idle time of the first listener's leaving: a negative, so it waits that long.
    await wait(40);
    expect(fake.running()).toBe(1);
    again();
    await waitFor(() => fake.running() === 0, 'the idle consumer to stop');
    expect(hub.consuming).toBe(false);
    // The next listener starts a new one.
    const later = hub.subscribe(EXECUTION, () => undefined);
    await hub.ready();
    expect(fake.running()).toBe(1);
    expect(fake.starts()).toBe(2);
    later();
    await hub.onApplicationShutdown();
  });

  it('a consumer that cannot start lets ready() resolve, and is started again while someone listens', async () => {
    const fake = fakeJetStream({ failFirst: true });
    const hub = new ExecutionEventsHub(fake.js, '' as never);
    hub.restartDelayMs = 20;
    const off = hub.subscribe(EXECUTION, () => undefined);
    await hub.ready();
    expect(hub.consuming).toBe(false);
    await waitFor(() => hub.consuming, 'the consumer to start again');
    expect(fake.starts()).toBe(2);
    off();
    await hub.onApplicationShutdown();
  });
});
