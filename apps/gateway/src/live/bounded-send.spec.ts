import { TOO_SLOW_CLOSE_CODE, backlogDrained, sendBounded } from './bounded-send';

/** A stand-in with only the four members `sendBounded` reads: no socket, no server. */
function fakeSocket(bufferedAmount: number, readyState = 1) {
  const sent: string[] = [];
  const closes: number[] = [];
  return {
    sent,
    closes,
    ws: {
      bufferedAmount,
      readyState,
      send: (data: string) => void sent.push(data),
      close: (code: number) => void closes.push(code),
    } as never,
  };
}

describe('sendBounded', () => {
  it('sends while the queue is within the bound', () => {
    const s = fakeSocket(1000);
    expect(sendBounded(s.ws, 'hello', 1000)).toBe(true);
    expect(s.sent).toEqual(['hello']);
    expect(s.closes).toEqual([]);
  });

  it('closes a socket that is too far behind with 1013 instead of queueing more', () => {
    const s = fakeSocket(1001);
    expect(sendBounded(s.ws, 'hello', 1000)).toBe(false);
    expect(s.sent).toEqual([]);
    expect(s.closes).toEqual([TOO_SLOW_CLOSE_CODE]);
  });

  it('drops messages for a socket that is not open', () => {
    const s = fakeSocket(0, 2);
    expect(sendBounded(s.ws, 'hello', 1000)).toBe(false);
    expect(s.sent).toEqual([]);
    expect(s.closes).toEqual([]);
  });
});

describe('backlogDrained', () => {
  it('answers at once when the socket is not behind', async () => {
    await expect(backlogDrained({ bufferedAmount: 10, readyState: 1 as const }, 100, 0)).resolves.toBe(true);
  });

  it('waits until the backlog drops below the mark', async () => {
    const ws = { bufferedAmount: 1000, readyState: 1 as const };
    const drained = backlogDrained(ws, 100, 10_000);
    setTimeout(() => (ws.bufferedAmount = 50), 30);
    await expect(drained).resolves.toBe(true);
  });

  it('gives up after the timeout on a socket that stays behind', async () => {
    await expect(backlogDrained({ bufferedAmount: 1000, readyState: 1 as const }, 100, 50)).resolves.toBe(false);
  });
});
