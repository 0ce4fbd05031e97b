import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchResults, Figure } from './recorder';

/** 3 significant digits, no exponent: what a reader needs from a noisy figure. */
export function fmt(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1000) return Math.round(v).toLocaleString('en-US');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)));
  return v.toFixed(Math.min(digits, 4));
}

function row(f: Figure): string {
  const spread = f.values.length > 1 ? `  (min ${fmt(f.min)}, max ${fmt(f.max)}, ${f.values.length} runs)` : '';
  return `  ${f.label.padEnd(52)} ${fmt(f.median).padStart(10)} ${f.unit.padEnd(9)}${spread}`;
}

/**
 * Workloads in the issue's order, the floor last; within a workload the timed figures first, then
 * CPU per execution, then the counting passes' counts, each in the order they were measured.
 */
export function byWorkload(figures: readonly Figure[]): Figure[] {
  const rank = (f: Figure): number => {
    const workload = f.workload.startsWith('W') ? Number(f.workload.slice(1, 2)) : 9;
    const kind = f.id.includes('.counts.') ? 2 : f.id.includes('.cpuMsPerExecution.') ? 1 : 0;
    return workload * 10 + kind;
  };
  return [...figures].sort((a, b) => rank(a) - rank(b));
}

/** The console table: figures grouped by workload, then the targets of issue 3. */
export function formatTable(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `Flowstack benchmark (${results.mode}${results.langgraph ? '' : ', no LangGraph'}), ${results.startedAt}, ${results.durationS.toFixed(0)} s`,
  );
  const m = results.machine;
  lines.push(`${m.cpus} x ${m.cpuModel}, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, ${m.postgres}, NATS ${m.nats}`);
  const load = results.loadAverage;
  lines.push(
    `load average ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end (above ${m.cpus}: neighbours were busy)`,
  );
  let workload = '';
  for (const f of byWorkload(results.figures)) {
    if (f.workload !== workload) {
      workload = f.workload;
      lines.push('', workload);
    }
    lines.push(row(f));
  }
  if (results.mode === 'quick') lines.push('', 'Targets are judged in full mode only (quick sizes are too small).');
  if (results.targets.length) {
    lines.push('', 'Targets (issue 3)');
    for (const t of results.targets) {
      lines.push(
        `  ${t.met ? 'met   ' : 'MISSED'} ${t.workload}: ${t.description} (${fmt(t.value)} ${t.comparator} ${fmt(t.threshold)})`,
      );
    }
  }
  return lines.join('\n');
}

/** The results as a Markdown table (what the README's performance section shows). */
export function formatMarkdown(results: BenchResults): string {
  const lines = ['| workload | figure | median | min | max | unit |', '| --- | --- | ---: | ---: | ---: | --- |'];
  for (const f of byWorkload(results.figures))
    lines.push(`| ${f.workload} | ${f.label.trim()} | ${fmt(f.median)} | ${fmt(f.min)} | ${fmt(f.max)} | ${f.unit} |`);
  return lines.join('\n');
}

export function writeResults(file: string, results: BenchResults): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
