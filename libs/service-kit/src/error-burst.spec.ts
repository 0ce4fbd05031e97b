import { ErrorBurst } from './error-burst';

describe('ErrorBurst', () => {
  it('tolerates up to maxErrors within the window and is exceeded by one more', () => {
    const burst = new ErrorBurst(3, 1_000);
    expect([burst.record(0), burst.record(10), burst.record(20)]).toEqual([1, 2, 3]);
    expect(burst.exceeded).toBe(false);
    expect(burst.record(30)).toBe(4);
    expect(burst.exceeded).toBe(true);
  });

  it('forgets errors older than the window, so errors spread over time never add up', () => {
    const burst = new ErrorBurst(2, 1_000);
    for (let t = 0; t < 100_000; t += 600) burst.record(t);
    expect(burst.exceeded).toBe(false);
    expect(burst.record(100_000)).toBe(2);
  });

  it('keeps a bounded number of timestamps however many errors arrive', () => {
    const burst = new ErrorBurst(5, 60_000);
    let count = 0;
    for (let i = 0; i < 10_000; i++) count = burst.record(i);
    expect(count).toBe(6);
    expect(burst.exceeded).toBe(true);
  });
});
