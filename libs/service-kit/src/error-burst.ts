/**
 * Counts errors in a sliding time window: `record` adds one at `now` and forgets those older than
 * `windowMs`; `exceeded` is true once more than `maxErrors` fall in the window. Keeps at most
 * `maxErrors + 1` timestamps, so a storm of errors costs no memory.
 */
export class ErrorBurst {
  private readonly times: number[] = [];
  private over = false;

  constructor(
    readonly maxErrors: number,
    readonly windowMs: number,
  ) {}

  /** Records one error at `now` (ms) and answers how many fall in the window, this one included. */
  record(now: number): number {
    while (this.times.length > 0 && now - this.times[0] >= this.windowMs) this.times.shift();
    this.times.push(now);
    if (this.times.length > this.maxErrors) {
      this.over = true;
      // Only the count matters past the limit; drop the oldest so the array stays bounded.
      if (this.times.length > this.maxErrors + 1) this.times.shift();
    }
    return this.times.length;
  }

  /** True once the window held more than `maxErrors` errors; stays true (the process is leaving). */
  get exceeded(): boolean {
    return this.over;
  }
}
