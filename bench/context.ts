import type { LangGraphPeer } from './baselines/langgraph';
import type { Cleanup } from './cleanup';
import type { BenchOptions, Sizes } from './config';
import type { BenchPlatform } from './harness/bench-platform';
import type { CpuMeter } from './harness/cpu-meter';
import type { Recorder } from './recorder';

/** What every workload gets: sizes, the running platform, the peer, and where figures go. */
export interface BenchContext {
  options: BenchOptions;
  sizes: Sizes;
  cleanup: Cleanup;
  rec: Recorder;
  platform: BenchPlatform;
  /** Absent with --no-langgraph. */
  peer?: LangGraphPeer;
  cpu: CpuMeter;
  log(message: string): void;
}
