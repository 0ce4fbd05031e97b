import { readdirSync, readFileSync } from 'node:fs';
import { benchPool } from './pg-pool';
import { cpuMs } from './process-stats';

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A process (or group of processes) whose CPU time a workload is charged with. */
export interface Metered {
  label: string;
  pids: () => Promise<number[]> | number[];
}

/**
 * CPU time each part of the system spends on a workload: every service process, the Postgres
 * backends serving the platform's database, the NATS server and the benchmark process itself.
 * On a shared 2-core machine this is the first thing to read when a throughput target is missed:
 * whoever burns the most CPU per execution is the bottleneck.
 */
export class CpuMeter {
  private readonly admin = benchPool(ADMIN_URL, 1);

  private readonly parts: Metered[];

  /** `postgresDatabase`: also meter the backends serving that database. */
  constructor(parts: Metered[], postgresDatabase?: string) {
    this.parts = postgresDatabase ? [...parts, this.postgresBackends(postgresDatabase)] : parts;
  }

  /** Backends connected to `database` (at the start and at the end of a measurement). */
  private postgresBackends(database: string): Metered {
    return {
      label: 'postgres',
      pids: async () => {
        const { rows } = await this.admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [
          database,
        ]);
        return rows.map((r) => r.pid);
      },
    };
  }

  /** Starts metering; the returned function gives each part's CPU ms spent since. */
  async start(extra: Metered[] = []): Promise<() => Promise<Record<string, number>>> {
    const parts = [...this.parts, ...extra];
    const before = new Map<number, number>();
    for (const part of parts) for (const pid of await part.pids()) before.set(pid, safeCpu(pid) ?? 0);
    const self = process.cpuUsage();
    return async () => {
      const spent: Record<string, number> = {};
      for (const part of parts) {
        let total = 0;
        // A backend that connected during the run spent all of its CPU time in it.
        for (const pid of await part.pids()) {
          const now = safeCpu(pid);
          if (now !== undefined) total += now - (before.get(pid) ?? 0);
        }
        spent[part.label] = total;
      }
      const used = process.cpuUsage(self);
      spent.bench = (used.user + used.system) / 1000;
      return spent;
    };
  }

  async close(): Promise<void> {
    await this.admin.end();
  }
}

/** The NATS server's pid, found by name (it is not ours; we only read its CPU time). */
export function natsServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'nats-server') pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

/** CPU ms of a process, or undefined when it is gone. */
function safeCpu(pid: number): number | undefined {
  try {
    return cpuMs(pid);
  } catch {
    return undefined;
  }
}
