import { FlowstackError } from '@flowstack/contracts';

/**
 * Bounds how many bcrypt operations run and wait in this process. bcrypt at cost 12 is ~250 ms of
 * CPU on a libuv thread; without a bound, 40 logins at once queue behind each other until the
 * gateway's request times out (503) for everyone. Past `running + waiting` slots the caller gets
 * `rate_limited` (retry after 1 s) at once instead of a place in a queue it would time out in.
 */
export class BcryptGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  /** Runs `work` when a slot is free; throws `FlowstackError('rate_limited')` when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new FlowstackError('rate_limited', 'too many sign-ins in progress, retry in a second', undefined, 1);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops below the queue's need.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
