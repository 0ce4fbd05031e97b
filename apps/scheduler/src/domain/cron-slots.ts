/**
 * The slots of one cron pattern in one time zone, remembered as a run of consecutive slots so
 * that the many schedules sharing a pattern (`0 9 * * *` in `Europe/Berlin`, `*\/5 * * * *` in
 * UTC) ask croner once between them. Croner spends 20-50 µs on each slot in a time zone; planning
 * a due schedule asks for three or more, so 1,000 schedules due in the same minute took 130-350 ms
 * of the scheduler's event loop before their runs could start.
 *
 * A run is the sorted list of every slot from `from` up to its last slot: it answers "the first
 * slot after t" and "the latest slot at or before t" for any t in [from, last) by binary search.
 * It is anchored at the latest slot at or before the first time asked about, so every schedule
 * whose cursor is past the pattern's previous slot (every schedule that fired it, every schedule
 * created since) is answered from it. Pure apart from the memory it keeps, which is bounded.
 */
import type { Cron } from 'croner';

/**
 * Slots a run keeps at most; past this the older half is dropped (walking forward needs the tail).
 * Above `MAX_SLOTS_PER_CALL` (1,000) so that counting a long downtime's missed slots, the longest
 * walk planning makes, is shared too: 16 KB for a run that long.
 */
export const RUN_SLOTS_KEPT = 2048;
/** Slots asked of croner when a run is extended past its last slot. */
const EXTEND_BY = 2;

export class CronSlotRun {
  /** Every slot in [from, slots[last]] is in `slots`, in order. Empty: nothing known yet. */
  private slots: number[] = [];
  private from = Number.POSITIVE_INFINITY;
  /** The pattern has no slot after the last one (never for a 5-field pattern that fires at all). */
  private ended = false;

  constructor(private readonly job: Pick<Cron, 'nextRuns' | 'previousRuns'>) {}

  /** The first slot strictly after `t`, or undefined when the pattern never fires again. */
  nextAfter(t: number): number | undefined {
    this.ensureCovers(t);
    if (!this.reachesPast(t)) return undefined;
    return this.slots[this.firstAfter(t)];
  }

  /** The latest slot at or before `t`, or undefined when there is none. */
  latestAtOrBefore(t: number): number | undefined {
    this.ensureCovers(t);
    const i = this.firstAfter(t) - 1;
    return i >= 0 ? this.slots[i] : undefined;
  }

  /**
   * Makes the run answer for `t`: as it is, or extended once when time has just moved past its
   * last slot (the next minute of a minutely pattern), or else anchored anew at `t`.
   */
  private ensureCovers(t: number): void {
    if (this.covers(t)) return;
    if (t >= this.from && this.slots.length > 0) {
      this.extend();
      this.trim();
      if (this.covers(t)) return;
    }
    this.anchorAt(t);
  }

  private covers(t: number): boolean {
    return t >= this.from && (this.ended || t < this.last());
  }

  /** Extends the run until its last slot is after `t` (false when the pattern ends before). */
  private reachesPast(t: number): boolean {
    while (this.slots.length === 0 || t >= this.last()) {
      if (this.ended || !this.extend()) return false;
    }
    this.trim();
    return true;
  }

  /** Appends the slots after the last one; false (and the run ended) when there are none. */
  private extend(): boolean {
    const more = this.fetchAfter(this.last());
    if (more.length === 0) this.ended = true;
    this.slots.push(...more);
    return more.length > 0;
  }

  /** Starts a new run at the latest slot at or before `t` (or at `t` itself when none is). */
  private anchorAt(t: number): void {
    const previous = this.job.previousRuns(1, new Date(t + 1))[0]?.getTime();
    const after = this.fetchAfter(t);
    this.from = previous ?? t;
    this.slots = previous !== undefined ? [previous, ...after] : after;
    this.ended = after.length === 0;
  }

  private fetchAfter(t: number): number[] {
    return this.job.nextRuns(EXTEND_BY, new Date(t)).map((d) => d.getTime());
  }

  /** Index of the first slot strictly after `t` (`slots.length` when none is). */
  private firstAfter(t: number): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.slots[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private trim(): void {
    if (this.slots.length <= RUN_SLOTS_KEPT) return;
    this.slots = this.slots.slice(this.slots.length - RUN_SLOTS_KEPT / 2);
    this.from = this.slots[0];
  }

  private last(): number {
    return this.slots.length > 0 ? this.slots[this.slots.length - 1] : Number.NEGATIVE_INFINITY;
  }
}
