import { HttpTarget } from '@flowstack/testing';
import type { Cleanup } from '../cleanup';

/**
 * The local HTTP server the workflows' tool nodes call: `GET /after/<ms>` answers after that many
 * milliseconds. It tracks how many requests are open at once, which is how many node tasks the
 * tool-runners hold in flight.
 */
export class SlowTarget {
  private open = 0;
  private peak = 0;

  private constructor(private readonly target: HttpTarget) {}

  static async start(cleanup: Cleanup): Promise<SlowTarget> {
    const slow = new SlowTarget(new HttpTarget());
    await slow.target.start();
    cleanup.add('slow HTTP target', () => slow.target.stop());
    return slow;
  }

  /** URL of a route that answers after `ms` (the route is added on first use). */
  url(ms: number): string {
    const path = `/after/${ms}`;
    this.target.route('GET', path, async () => {
      this.open++;
      this.peak = Math.max(this.peak, this.open);
      await new Promise((resolve) => setTimeout(resolve, ms));
      this.open--;
      // Keep memory flat over thousands of calls: nothing reads the request log.
      this.target.received.length = 0;
      return { json: { ok: true } };
    });
    return `${this.target.url}${path}`;
  }

  /** Most requests open at once since the last call. */
  takePeak(): number {
    const peak = this.peak;
    this.peak = this.open;
    return peak;
  }
}
