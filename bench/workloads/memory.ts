import type { BenchContext } from '../context';
import { rssMiB } from '../harness/process-stats';

const W = 'W6 memory';
const SAMPLES = 3;

/**
 * Workload 6: resident memory (VmRSS) of each service process, idle and right after workload 2.
 * A few readings a moment apart, so a collection in progress does not decide the figure.
 */
export async function memory(ctx: BenchContext, phase: 'idle' | 'afterThroughput'): Promise<void> {
  const readings = new Map<string, number[]>();
  for (let i = 0; i < SAMPLES; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const { label, pid } of ctx.platform.processes()) {
      if (!readings.has(label)) readings.set(label, []);
      readings.get(label)!.push(rssMiB(pid));
    }
  }
  const when = phase === 'idle' ? 'idle' : 'after W2';
  for (const [label, values] of readings) ctx.rec.add(W, `w6.rss.${phase}.${label}`, `${label} RSS, ${when}`, 'MiB', values);
}
