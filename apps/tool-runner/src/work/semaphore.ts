/**
 * Counts free slots so the consume loop takes a new task from JetStream only when one is free:
 * backpressure, so a runner never holds more tasks than it can work on.
 */
export class Semaphore {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  get inUse(): number {
    return this.size - this.free;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.free++;
  }

  /** Resolves once every slot is free again (or the timeout passes). */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.inUse > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    return this.inUse === 0;
  }
}
