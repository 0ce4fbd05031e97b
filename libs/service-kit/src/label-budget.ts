/** The label value that stands for every value past a `LabelBudget`'s limit. */
export const OTHER_LABEL = 'other';

/**
 * Keeps a metric label's cardinality bounded when its values come from users (workflow ids, model
 * names): the first `max` distinct values are kept as they are, every later one is reported as
 * `other`. Prometheus stores one series per label combination, so an unbounded label (a platform
 * with 100 000 workflows) would exhaust the scraper; `max` distinct values per process, times the
 * other labels' few values, is the bound. Per process: a restart starts a new set.
 */
export class LabelBudget {
  private readonly seen = new Set<string>();

  constructor(readonly max: number) {}

  /** `value` while it is one of the first `max` seen (or seen already), `other` after that. */
  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return OTHER_LABEL;
    this.seen.add(value);
    return value;
  }
}
