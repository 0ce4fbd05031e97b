import { summarize, type Summary } from './stats';

/** One published number: the median of `values` (one per run) with min and max. */
export interface Figure extends Summary {
  id: string;
  workload: string;
  label: string;
  unit: string;
  note?: string;
}

export interface Target {
  workload: string;
  description: string;
  /** The figure the target is about. */
  figure: string;
  comparator: '<=' | '>=' | '<';
  threshold: number;
  value: number;
  met: boolean;
}

export interface BenchResults {
  schema: 1;
  mode: 'full' | 'quick';
  langgraph: boolean;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  /** Set when only some workloads ran (`--only`). */
  only?: string[];
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; postgres: string; nats: string };
  /**
   * The machine's 1-minute load average when the run started and ended. At the start, anything
   * above the CPU count means neighbours were taking CPU on this shared box; the end includes
   * the run's own load (about 3 here).
   */
  loadAverage: { start: number; end: number };
  figures: Figure[];
  targets: Target[];
}

/** Collects figures as the workloads produce them, in order, and checks the targets. */
export class Recorder {
  readonly figures: Figure[] = [];
  readonly targets: Target[] = [];

  add(workload: string, id: string, label: string, unit: string, values: readonly number[], note?: string): Figure {
    const bad = values.find((v) => !Number.isFinite(v));
    if (bad !== undefined) throw new Error(`${id}: non-finite value ${bad}`);
    const figure: Figure = { id, workload, label, unit, ...summarize(values), ...(note ? { note } : {}) };
    this.figures.push(figure);
    return figure;
  }

  get(id: string): Figure | undefined {
    return this.figures.find((f) => f.id === id);
  }

  /** Judges a target on a figure's median; a figure that was not measured is not judged. */
  target(workload: string, description: string, figureId: string, comparator: Target['comparator'], threshold: number): void {
    const figure = this.get(figureId);
    if (!figure) return;
    const v = figure.median;
    const met = comparator === '<=' ? v <= threshold : comparator === '>=' ? v >= threshold : v < threshold;
    this.targets.push({ workload, description, figure: figureId, comparator, threshold, value: v, met });
  }
}
