import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { FakeLlmServer, fakeReply, type FakeLlmRequest } from '@flowstack/testing';
import type { BenchContext } from '../context';
import { epochMs, runPool, withDeadline } from '../harness/clock';
import { percentile } from '../stats';

const W = 'W10 agent streaming';

/** The run's tag (a UUID in its prompt's input) a provider request carries, if any. */
const tagOf = (request: FakeLlmRequest): string | undefined =>
  /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(JSON.stringify(request.body?.messages ?? []))?.[0];

/** What one watching client saw of an execution: its first `agent_streaming` message, the text, the end. */
interface Watched {
  firstChunkAt?: number;
  lastChunkAt?: number;
  text: string;
}

/**
 * Watches one execution over the WebSocket until `execution_complete`, recording when the first
 * and the last `agent_streaming` message arrived and the text they carried.
 */
function watch(
  wsUrl: string,
  executionId: string,
  token: string,
  timeoutMs: number,
): { opened: Promise<void>; done: Promise<Watched> } {
  const socket = new WebSocket(`${wsUrl}/ws/executions/${executionId}`, { headers: { authorization: `Bearer ${token}` } });
  const seen: Watched = { text: '' };
  socket.on('message', (data: Buffer) => {
    const at = epochMs();
    const m = JSON.parse(data.toString('utf8')) as { type: string; chunk?: string };
    if (m.type !== 'agent_streaming') return;
    seen.firstChunkAt ??= at;
    seen.lastChunkAt = at;
    seen.text += m.chunk ?? '';
  });
  const opened = withDeadline(
    new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    }),
    timeoutMs,
    `WebSocket of ${executionId} opening`,
  );
  const done = withDeadline(
    new Promise<Watched>((resolve) => socket.once('close', () => resolve(seen))),
    timeoutMs,
    `WebSocket of ${executionId} closing`,
  ).finally(() => socket.terminate());
  return { opened, done };
}

/**
 * Workload 8: `agent_call` nodes against a local fake OpenAI server (the real `openai` SDK in the
 * tool-runner, SSE at a fixed pace), watched over the WebSocket as the run monitor watches them:
 *
 * - **first token**: from the provider writing its first content chunk to that chunk's
 *   `agent_streaming` message reaching the watching client (SDK, the runner's chunk publisher,
 *   core NATS, the gateway, the socket), p50/p99 over `executions` streamed at once;
 * - **fan-out**: one streaming execution watched by `clients` sockets: tokens per second
 *   delivered to all of them together (the reply's tokens times the clients that got the whole
 *   text, over the time from the first chunk sent to the last client's last chunk);
 * - **runner CPU per LLM turn**: the tool-runner's CPU time over `turns` unpaced agent
 *   executions (one turn each: the SDK, the loop, turn recording through the orchestrator,
 *   chunks), divided by the turns. The loop's own overhead beyond the SDK is
 *   `apps/tool-runner/src/llm/turn-overhead.bench.ts`;
 * - **concurrent streams**: `concurrent` executions started at once; the provider holds each call
 *   until all are open, then streams them together (`replyTokens` over 4 s): the most calls it saw
 *   streaming at the same moment, all from the one tool-runner (target 200), and how many runs
 *   completed with the whole text.
 */
export async function agentStreaming(ctx: BenchContext): Promise<void> {
  const { executions, clients, tokensPerSecond, replyTokens, turns, concurrent } = ctx.sizes.w10;
  const { api, platform } = ctx.platform;
  // Agent nodes hold credits at dispatch: the workspace needs a balance (W8 grants its own).
  await api.post('/api/v1/credits/grants', { amount: 1_000_000_000_000 });
  const fake = await new FakeLlmServer('openai', { tokensPerSecond }).start();
  ctx.cleanup.add('fake LLM server', () => fake.stop());
  const credential = await api.post<{ id: string }>('/api/v1/credentials', {
    name: `bench_llm_${randomUUID().slice(0, 8)}`,
    kind: 'api_key',
    value: 'sk-bench',
  });
  const agent = await api.post<{ id: string }>('/api/v1/agents', {
    name: `bench agent ${randomUUID().slice(0, 8)}`,
    provider: 'openai',
    model: 'gpt-4o-mini',
    baseUrl: fake.baseUrl,
    credentialId: credential.id,
  });
  const workflowId = await api.createWorkflow('bench: agent', {
    entry_point: 'ask',
    nodes: [{ id: 'ask', type: 'agent_call', config: { agentId: agent.id, prompt: 'Tell me about {{ input.tag }}.' } }],
    edges: [],
  });
  const reply = Array.from({ length: replyTokens }, (_, i) => `tok${i}`).join(' ');
  fake.repeat(fakeReply.text(reply, { inputTokens: 50, outputTokens: replyTokens }));
  // Each run's provider request, by the tag in its prompt: indexed as requests arrive, not searched.
  // A search serialised every request so far at each run's end (thousands by the last rep), a few
  // ms of the bench's own event loop each time, in which later runs' first chunks could wait.
  const byTag = new Map<string, FakeLlmRequest>();
  let indexed = 0;
  const requestOf = (tag: string): FakeLlmRequest | undefined => {
    for (; indexed < fake.requests.length; indexed++) {
      const found = tagOf(fake.requests[indexed]);
      if (found) byTag.set(found, fake.requests[indexed]);
    }
    return byTag.get(tag);
  };

  // A run's stream starts only once its sockets are open. Chunks are ephemeral (never replayed),
  // and the socket can only be opened once the start has answered: on a saturated machine the
  // run's first token often beat it (up to 16 of 50 streams a burst), and those samples, the
  // slowest moments, were dropped. Now every stream of a burst is a sample.
  const socketsOpen = new Map<string, Promise<void>>();
  fake.gateStreams(async (request) => {
    const tag = tagOf(request);
    await (tag ? socketsOpen.get(tag) : undefined);
  });

  /** Starts one execution watched by `watchers` sockets; its provider streams once they are open. */
  const run = async (watchers: number) => {
    const tag = randomUUID();
    let open!: () => void;
    socketsOpen.set(tag, new Promise<void>((resolve) => (open = resolve)));
    try {
      const executionId = await api.startExecution(workflowId, { tag });
      const watches = Array.from({ length: watchers }, () =>
        watch(platform.wsUrl, executionId, api.bearer, ctx.sizes.deadlineMs),
      );
      await Promise.all(watches.map((w) => w.opened));
      open();
      const seen = await Promise.all(watches.map((w) => w.done));
      return { seen, request: requestOf(tag) };
    } finally {
      open();
      socketsOpen.delete(tag);
    }
  };

  const firstP50: number[] = [];
  const firstP99: number[] = [];
  const burstCpu: Record<string, number[]> = {};
  const fanOut: number[] = [];
  const cpuPerTurn: number[] = [];
  const concurrentPeak: number[] = [];
  const concurrentCompleted: number[] = [];
  // Warm-up, untimed: one burst as large as a measured one. A single run left the first reps
  // paying for the compilation of the paths that 50 concurrent starts take in every service (their
  // p99 was twice the later reps'), which is start-up cost, not the streaming path's.
  await runPool(executions, executions, async () => void (await run(1)));
  for (let rep = 0; rep < ctx.sizes.reps; rep++) {
    // First token, `executions` at once. The CPU each process spends on the burst says where its
    // tail comes from: with 2 cores saturated, every process on the way waits for a core.
    const samples: number[] = [];
    let missed = 0;
    let cutShort = 0;
    const stopBurst = await ctx.cpu.start();
    await runPool(executions, executions, async () => {
      const { seen, request } = await run(1);
      const first = seen[0].firstChunkAt;
      // A socket that missed the first chunk (it cannot, with the gate) is counted, not a sample;
      // one closed by the run's end before its last chunks came is a sample, and counted too.
      if (first === undefined || request?.firstChunkAt === undefined) missed++;
      else {
        samples.push(first - request.firstChunkAt);
        if (seen[0].text !== reply) cutShort++;
      }
    });
    for (const [label, ms] of Object.entries(await stopBurst())) (burstCpu[label] ??= []).push(ms / executions);
    if (samples.length === 0) throw new Error('no agent_streaming message reached a socket');
    firstP50.push(percentile(samples, 50));
    firstP99.push(percentile(samples, 99));

    // Fan-out: one stream, `clients` sockets, all open before its first token.
    const fan = await run(clients);
    const got = fan.seen.filter((s) => s.firstChunkAt !== undefined);
    const delivered = got.reduce((sum, s) => sum + (s.text.match(/tok\d+/g)?.length ?? 0), 0);
    const span = (Math.max(...got.map((s) => s.lastChunkAt!)) - Math.min(...got.map((s) => s.firstChunkAt!))) / 1000;
    fanOut.push(span > 0 ? delivered / span : 0);

    // Runner CPU per turn: unpaced turns, several at once.
    fake.setTokensPerSecond(undefined);
    const stop = await ctx.cpu.start();
    await runPool(turns, Math.min(turns, 20), async () => {
      const executionId = await api.startExecution(workflowId, { tag: randomUUID() });
      await waitFinished(ctx, executionId);
    });
    const spent = await stop();
    fake.setTokensPerSecond(tokensPerSecond);
    cpuPerTurn.push((spent['tool-runner'] ?? 0) / turns);

    // Concurrent streams: the provider holds every call until all `concurrent` are open at once
    // (however slowly a loaded machine starts them), then streams them all together at its pace.
    fake.setTokensPerSecond(replyTokens / 4);
    fake.holdWhenEmpty(true);
    const streaming = () =>
      fake.requests.filter((r) => r.stream && r.firstChunkAt !== undefined && !r.completed && !r.closedEarly).length;
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, streaming())), 10);
    let completedInFull = 0;
    try {
      // Settled into a value at once: a failure while the provider still holds calls is not unhandled.
      const runs = runPool(concurrent, concurrent, async () => {
        const executionId = await api.startExecution(workflowId, { tag: randomUUID() });
        // Polled slowly: 200 pollers at 20 ms would be the gateway's main load.
        await waitFinished(ctx, executionId, 3 * ctx.sizes.deadlineMs, 250);
        const view = await api.getExecution(executionId);
        const ask = view.nodes.ask as { status: string; output?: { text?: string } } | undefined;
        if (ask?.output?.text === reply) completedInFull++;
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const deadline = epochMs() + 2 * ctx.sizes.deadlineMs;
      while (fake.heldRequests < concurrent && epochMs() < deadline) await new Promise((r) => setTimeout(r, 20));
      fake.holdWhenEmpty(false);
      const failed = await runs;
      if (failed !== undefined) throw failed;
    } finally {
      clearInterval(sampler);
      fake.holdWhenEmpty(false);
      fake.setTokensPerSecond(tokensPerSecond);
    }
    concurrentPeak.push(peak);
    concurrentCompleted.push(completedInFull);
    ctx.log(
      `  run ${rep + 1}: first token p50 ${firstP50[rep].toFixed(1)} ms, p99 ${firstP99[rep].toFixed(1)} ms (${samples.length} streams, ${missed} missed the first chunk, ${cutShort} ended before the last); ` +
        `${fanOut[rep].toFixed(0)} tokens/s to ${got.length}/${clients} clients; tool-runner ${cpuPerTurn[rep].toFixed(2)} ms CPU per turn; ` +
        `${concurrentPeak[rep]} streams at once at the peak, ${concurrentCompleted[rep]}/${concurrent} completed in full`,
    );
  }
  const pace = `the fake provider streams ${replyTokens} tokens at ${tokensPerSecond}/s`;
  ctx.rec.add(
    W,
    'w10.firstToken.p50',
    'provider first chunk -> agent_streaming on the socket, p50',
    'ms',
    firstP50,
    `${executions} streams at once; ${pace}`,
  );
  ctx.rec.add(W, 'w10.firstToken.p99', 'provider first chunk -> agent_streaming on the socket, p99', 'ms', firstP99);
  for (const [label, values] of Object.entries(burstCpu)) {
    ctx.rec.add(
      W,
      `w10.firstToken.cpuPerRun.${label}`,
      `  CPU per run: ${label}`,
      'ms',
      values,
      `the first-token runs, ${executions} at once: start, stream and end`,
    );
  }
  ctx.rec.add(
    W,
    'w10.fanOut.tokensPerSecond',
    `tokens/s delivered to ${clients} watching clients (together)`,
    'tokens/s',
    fanOut,
    pace,
  );
  ctx.rec.add(
    W,
    'w10.runnerCpuPerTurn',
    'tool-runner CPU per LLM turn (SDK, loop, recording, chunks)',
    'ms',
    cpuPerTurn,
    `${turns} unpaced one-turn agent executions, 20 at once`,
  );
  ctx.rec.add(
    W,
    'w10.concurrentStreams.peak',
    'agent calls streaming at the same moment from one tool-runner (peak)',
    'calls',
    concurrentPeak,
    `${concurrent} executions started at once, held at the provider until all were open, then ${replyTokens} tokens each over 4 s`,
  );
  ctx.rec.add(
    W,
    'w10.concurrentStreams.completed',
    `of ${concurrent} concurrent streaming runs, completed with the whole text`,
    'runs',
    concurrentCompleted,
  );
}

/** Polls the execution until it finished (these runs are short; no socket needed). */
async function waitFinished(
  ctx: BenchContext,
  executionId: string,
  timeoutMs = ctx.sizes.deadlineMs,
  pollMs = 20,
): Promise<void> {
  const deadline = epochMs() + timeoutMs;
  while (epochMs() < deadline) {
    const view = await ctx.platform.api.getExecution(executionId);
    if (view.status === 'completed') return;
    if (view.status === 'failed' || view.status === 'cancelled') throw new Error(`agent execution ${executionId} ${view.status}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`agent execution ${executionId} did not finish in ${timeoutMs} ms`);
}
