/**
 * The only statistics the report uses. Every figure is the median of several runs with its min and
 * max (this 2-core machine is shared and drifts, so one run proves little), and latency
 * distributions are summarised by nearest-rank percentiles (no interpolation: a p99 is a latency
 * that some request really had).
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every run's value, in run order (for the JSON file). */
  values: number[];
}

/** Median of an even count is the mean of the two middle values. Throws on no data. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: [...values] };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** The median alone. */
export const median = (values: readonly number[]): number => summarize(values).median;
