export const PARTS = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10', 'w11', 'w12', 'floor'] as const;
export type Part = (typeof PARTS)[number];

/** What `npm run bench` was asked to do (see `parseArgs`). */
export interface BenchOptions {
  quick: boolean;
  /** Run only these workloads (e.g. to profile one); all when absent. */
  only?: Part[];
  langgraph: boolean;
  /** Write CPU profiles of every service to bench/results/profiles and summarise them. */
  profile: boolean;
  out: string;
}

/**
 * Sizes of every loop. Full mode follows issue 3; quick mode runs each workload once, small, so
 * the test suite can run it in well under a minute. Every loop is also capped in time
 * (`deadlineMs`): a stuck run fails instead of hanging.
 */
export interface Sizes {
  /** Runs behind each figure (median, min, max). */
  reps: number;
  w1: { nodes: number; executionsPerRun: number; warmup: number; countedExecutions: number };
  w2: { executions: number; inFlight: number; warmup: number; countedExecutions: number };
  w3: { executions: number; toolDelayMs: number };
  w4: { sequentialEvents: number; parallelEvents: number; streams: number; writers: number; replayEvents: number };
  w5: {
    executions: number;
    /** Untimed executions a newly started second runner drains first. */
    warmup: number;
    toolDelayMs: number;
    countedExecutions: number;
    /** Runner concurrency of the runner-bound variant; 0 skips it. */
    runnerBoundConcurrency: number;
  };
  /** Executions started at `ratePerSecond`, each a delay then a node retried once: two timers each. */
  w7: { executions: number; ratePerSecond: number; delaySeconds: number };
  /** Agent diamonds with and without billing, then billing's raw hold rate (one and 100 workspaces). */
  w8: { executions: number; inFlight: number; warmup: number; holds: number; holdsInFlight: number };
  /** A line of builtin noop tool nodes: every node a durable remote step (issue 9). */
  w9: { nodes: number; executionsPerRun: number; warmup: number };
  /**
   * Agent streaming: `executions` streams at once for the first-token latency, one stream to
   * `clients` sockets for the fan-out, `turns` unpaced one-turn runs for the runner's CPU, and
   * `concurrent` slow streams started at once on the one tool-runner (how many it holds together).
   */
  w10: { executions: number; clients: number; tokensPerSecond: number; replyTokens: number; turns: number; concurrent: number };
  /**
   * Schedules: `schedules` due at once (one-shot, `reps` times), then as many cron schedules due
   * in each of `cronReps` consecutive minutes (they wait for whole minutes: quick runs skip them).
   */
  w11: { schedules: number; cronReps: number; idleSchedules: number; idleSeconds: number };
  /** Fairness: another workspace's start-to-first-step with and without `queued` runs of one workspace queued. */
  w12: { queued: number; probes: number; inFlight: number };
  floor: { natsMessages: number };
  /** Cap on any one timed loop. */
  deadlineMs: number;
}

export const FULL: Sizes = {
  reps: 5,
  w1: { nodes: 50, executionsPerRun: 10, warmup: 10, countedExecutions: 10 },
  w2: { executions: 1000, inFlight: 200, warmup: 200, countedExecutions: 100 },
  w3: { executions: 100, toolDelayMs: 1000 },
  w4: { sequentialEvents: 2000, parallelEvents: 4000, streams: 100, writers: 16, replayEvents: 8_000 },
  w5: { executions: 500, warmup: 100, toolDelayMs: 50, countedExecutions: 50, runnerBoundConcurrency: 16 },
  w7: { executions: 300, ratePerSecond: 50, delaySeconds: 0.5 },
  w8: { executions: 200, inFlight: 100, warmup: 20, holds: 1000, holdsInFlight: 200 },
  w9: { nodes: 50, executionsPerRun: 5, warmup: 3 },
  w10: { executions: 50, clients: 100, tokensPerSecond: 100, replyTokens: 100, turns: 100, concurrent: 200 },
  w11: { schedules: 1000, cronReps: 3, idleSchedules: 10_000, idleSeconds: 10 },
  w12: { queued: 1000, probes: 100, inFlight: 5 },
  floor: { natsMessages: 2000 },
  deadlineMs: 60_000,
};

export const QUICK: Sizes = {
  reps: 1,
  w1: { nodes: 50, executionsPerRun: 3, warmup: 1, countedExecutions: 2 },
  w2: { executions: 50, inFlight: 20, warmup: 5, countedExecutions: 5 },
  w3: { executions: 10, toolDelayMs: 300 },
  w4: { sequentialEvents: 200, parallelEvents: 400, streams: 20, writers: 4, replayEvents: 1000 },
  w5: { executions: 40, warmup: 10, toolDelayMs: 50, countedExecutions: 5, runnerBoundConcurrency: 0 },
  w7: { executions: 20, ratePerSecond: 20, delaySeconds: 0.2 },
  w8: { executions: 20, inFlight: 10, warmup: 4, holds: 200, holdsInFlight: 50 },
  w9: { nodes: 50, executionsPerRun: 1, warmup: 1 },
  w10: { executions: 5, clients: 10, tokensPerSecond: 100, replyTokens: 40, turns: 10, concurrent: 20 },
  w11: { schedules: 30, cronReps: 0, idleSchedules: 1000, idleSeconds: 2 },
  w12: { queued: 30, probes: 10, inFlight: 2 },
  floor: { natsMessages: 200 },
  deadlineMs: 30_000,
};

export const USAGE = `Usage: npm run bench [-- options]
  --quick          each workload once at small size (what the test suite runs)
  --no-langgraph   skip the LangGraph.js baselines (no install of bench/langgraph)
  --profile        write a CPU profile of every service to bench/results/profiles
  --only w2,w3     run only these workloads (w1..w12, floor); W6's second reading needs w2
  --out <file>     results JSON (default bench/results/latest.json, quick: bench/results/quick.json)`;

export function parseArgs(argv: readonly string[]): BenchOptions {
  const known = new Set(['--quick', '--no-langgraph', '--profile', '--out', '--only', '--help']);
  for (let i = 0; i < argv.length; i++) {
    if (!known.has(argv[i])) throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
    if (argv[i] === '--out' || argv[i] === '--only') i++;
  }
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const outAt = argv.indexOf('--out');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
  const unknown = only?.find((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown !== undefined || only?.length === 0) throw new Error(`--only takes a list of ${PARTS.join(', ')}\n${USAGE}`);
  return {
    quick,
    ...(only ? { only: only as Part[] } : {}),
    langgraph: !argv.includes('--no-langgraph'),
    profile: argv.includes('--profile'),
    out: outAt >= 0 && argv[outAt + 1] ? argv[outAt + 1] : `bench/results/${quick ? 'quick' : 'latest'}.json`,
  };
}
