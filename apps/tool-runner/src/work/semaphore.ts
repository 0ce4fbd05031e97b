/**
 * Counts the runner's free slots. The pull loop takes every free slot before it asks JetStream for
 * tasks and asks for no more than that, so a runner never holds more tasks than it can work on.
 */
export class Semaphore {
  private free: number;
  private waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`a semaphore needs at least one slot, got ${size}`);
    this.free = size;
  }

  /** Slots taken (by running tasks or by a pull waiting to be filled). */
  get inUse(): number {
    return this.size - this.free;
  }

  /**
   * Waits until at least one slot is free, then takes every free slot and says how many. Resolves 0
   * (taking nothing) if `signal` aborts first.
   */
  async acquireAll(signal?: AbortSignal): Promise<number> {
    while (this.free === 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          this.waiters = this.waiters.filter((w) => w !== wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal?.aborted) return 0;
    const taken = this.free;
    this.free = 0;
    return taken;
  }

  /** Takes one slot if one is free right now. */
  tryAcquire(): boolean {
    if (this.free === 0) return false;
    this.free--;
    return true;
  }

  /** Gives back `count` slots and wakes whoever waits for one. */
  release(count = 1): void {
    if (count <= 0) return;
    if (this.free + count > this.size) throw new Error(`released ${count} slots but only ${this.inUse} were taken`);
    this.free += count;
    for (const wake of this.waiters) wake();
  }

  /** Resolves once every slot is free again (or the timeout passes). */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inUse > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.inUse === 0;
  }
}
