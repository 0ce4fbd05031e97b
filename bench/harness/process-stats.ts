import { readFileSync } from 'node:fs';

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!kib) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kib[1]) / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. The deltas
 * across a workload say which service is the bottleneck on a 2-core box, without a profiler.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}

/**
 * The whole machine's busy CPU time so far (every core, every process: user, nice, system, irq,
 * softirq, steal), in ms, from the first line of /proc/stat. The delta over a timed window divided
 * by its length is how many cores were busy: near the core count, the box itself is the limit.
 */
export function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu;
  return ((user + nice + system + irq + softirq + (steal ?? 0)) * 1000) / TICKS_PER_SECOND;
}
