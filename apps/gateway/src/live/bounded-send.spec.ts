import { TOO_SLOW_CLOSE_CODE, sendBounded } from './bounded-send';

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
