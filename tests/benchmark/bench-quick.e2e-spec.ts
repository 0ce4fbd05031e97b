import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// A type-only import: nothing of the benchmark loads into Jest, but `npm run typecheck` now
// checks the whole bench/ tree through it (bench/langgraph aside: its dependencies are optional).
// bench/ is a tool, not an Nx project, hence the relative path.
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { runBench } from '../../bench/bench';

type BenchResults = Awaited<ReturnType<typeof runBench>>;

jest.setTimeout(150_000);

const ROOT = path.resolve(__dirname, '../..');

/**
 * Keeps `npm run bench` from rotting: runs its quick mode (each workload once, small) as a user
 * would, without the LangGraph baselines (they need bench/langgraph's own install, which a fresh
 * clone does not have and the test suite must not download), and checks that every workload
 * produced positive, finite figures. Timing targets are the benchmark's business, never asserted
 * here: this 2-core machine is shared and a test must not fail because a neighbour was busy.
 * (This lives in tests/benchmark/: jest ignores every path containing `/bench/`.)
 */
describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'flowstack-bench-'));
  const out = path.join(dir, 'quick.json');
  let child: ChildProcess | undefined;
  afterAll(async () => {
    // A run the test timed out on is stopped (SIGTERM: the bench undoes its services and databases),
    // not left running into the next suites after Jest's forced exit.
    if (child && child.exitCode === null && child.signalCode === null) {
      const running = child;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every workload once and writes positive, finite figures', async () => {
    const proc = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'bench/run.ts', '--quick', '--no-langgraph', '--out', out],
      {
        cwd: ROOT,
        // The orchestrator's pool at 4 rather than 16: this is a smoke test, and at W2 the default
        // takes the run to ~41 Postgres sessions, so three runs at once on the shared server (max
        // 100) failed with 'sorry, too many clients already'. With 4 the run peaks at ~29.
        env: { ...process.env, NODE_OPTIONS: '', ORCHESTRATOR_PG_POOL: '4' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    if (code !== 0) throw new Error(`bench --quick exited with ${code}:\n${output}`);

    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(results).toMatchObject({ mode: 'quick', langgraph: false });
    const workloads = new Set(results.figures.map((f) => f.workload.split(' ')[0]));
    expect([...workloads].sort()).toEqual(['Floor', 'W1', 'W10', 'W11', 'W12', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9']);
    for (const id of [
      'w1.flowstack.msPerNode',
      'w1.counts.pgAppendCommitsPerNode',
      'w1.counts.natsMessagesPerNode',
      'w2.flowstack.perSecond',
      'w2.flowstack.p99',
      'w3.commitToClient.p99',
      'w4.appendOneStream.perSecond',
      'w4.replay.fold.perSecond',
      'w5.oneRunner.perSecond',
      'w5.twoRunners.perSecond',
      'w5.oneRunner.peakInFlight',
      'w6.rss.idle.orchestrator',
      'w6.rss.afterThroughput.gateway',
      'w7.timers.perSecond',
      'w7.lateness.p99',
      'w8.ratio.billedVsFree',
      'w8.holds.oneWorkspace',
      'w8.holds.hundredWorkspaces',
      'w9.flowstack.msPerNode',
      'w9.flowstack.cpuPerNode.tool-runner',
      'w10.firstToken.p99',
      'w10.firstToken.cpuPerRun.tool-runner',
      'w10.fanOut.tokensPerSecond',
      'w10.runnerCpuPerTurn',
      'w10.concurrentStreams.peak',
      'w10.concurrentStreams.completed',
      'w11.lateness.p99',
      'w11.idleCpuMsPerSecond',
      'w12.alone.p99',
      'w12.loaded.p99',
      'floor.pgInsert.perSecond',
      'floor.natsPublishAck.p50',
    ]) {
      expect(results.figures.map((f) => f.id)).toContain(id);
    }
    for (const f of results.figures) {
      // CPU time is read in 10 ms ticks: a small quick run may honestly spend none in a process;
      // a timer may fire in the very millisecond it is due.
      const mayBeZero =
        f.id.includes('.cpuMsPerExecution.') ||
        f.id.includes('.cpuPerNode.') ||
        f.id.includes('.cpuPerRun.') ||
        f.id.includes('Duplicate') ||
        f.id.includes('.nats') ||
        f.id.includes('.lateness.') ||
        f.id.includes('Lateness') ||
        f.id.includes('idleCpu');
      for (const v of [f.median, f.min, f.max, ...f.values]) {
        expect(Number.isFinite(v)).toBe(true);
        if (mayBeZero) expect(v).toBeGreaterThanOrEqual(0);
        else expect(v).toBeGreaterThan(0);
      }
    }
  });
});
