/**
 * Wall-clock time in epoch milliseconds with sub-millisecond resolution, comparable with the
 * `recordedAt`/`at` timestamps Postgres and the gateway hand out (same machine, same clock).
 */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** Rejects after `ms` with a message naming what took too long: every wait in the benchmark is capped. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `task(i)` for i in 0..count-1 with at most `concurrency` running at once. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
