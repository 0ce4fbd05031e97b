import { randomUUID } from 'node:crypto';
import { Rpc, type HoldResultView, type RequestContext } from '@flowstack/contracts';
import { FakeLlmServer, fakeReply } from '@flowstack/testing';
import { RpcClient } from '@flowstack/messaging';
import type { BenchContext } from '../context';
import { epochMs, runPool, withDeadline } from '../harness/clock';
import { timedExecution } from '../harness/executions';
import type { GraphSpec } from '../harness/api-client';

const W = 'W8 credits';

/**
 * Workload 8, credits at run time: W2's five-node diamond with its `right` branch an `agent_call`
 * (a local fake OpenAI-compatible server answers at once), run once with a free agent (no hold, no
 * charge) and once with an agent that costs `costPerRun` (a hold before dispatch, a charge and a
 * release after its result: two ledger appends, through billing over the bus). Both runs take the
 * same remote path, so the ratio is billing's cost alone. Then billing's hold rate on its own:
 * holds straight over the bus on one workspace (one ledger stream: the contended case) and spread
 * over 100 workspaces.
 */
export async function credits(ctx: BenchContext): Promise<void> {
  const { executions, inFlight, warmup, holds, holdsInFlight } = ctx.sizes.w8;
  const llm = await new FakeLlmServer('openai').start();
  ctx.cleanup.add('W8 fake LLM server', () => llm.stop());
  llm.repeat(fakeReply.text('ok', { inputTokens: 1, outputTokens: 1 }));
  const api = ctx.platform.api;
  await api.post('/api/v1/credits/grants', { amount: 1_000_000_000_000 });
  const agent = (costPerRun: number) =>
    api.post<{ id: string }>('/api/v1/agents', {
      name: `bench-agent-${randomUUID()}`,
      provider: 'openai_compatible',
      // Not in the price table: the tokens cost 0, the node costs its costPerRun.
      model: 'bench-model',
      baseUrl: llm.baseUrl,
      costPerRun,
      maxSteps: 1,
    });
  const free = await api.createWorkflow('bench: diamond, free agent', agentDiamond((await agent(0)).id));
  const billed = await api.createWorkflow('bench: diamond, costed agent', agentDiamond((await agent(1000)).id));

  const batch = async (workflowId: string, count: number): Promise<number> => {
    const began = epochMs();
    await withDeadline(
      runPool(count, inFlight, async () => void (await timedExecution(ctx.platform, workflowId, ctx.sizes.deadlineMs))),
      ctx.sizes.deadlineMs,
      `${count} agent diamonds`,
    );
    return (count * 1000) / (epochMs() - began);
  };
  await batch(free, warmup);
  await batch(billed, warmup);
  // Three runs at most: the figure is a ratio of two alternated batches, and the run stays short.
  const reps = Math.min(3, ctx.sizes.reps);
  const freeRates: number[] = [];
  const billedRates: number[] = [];
  for (let run = 0; run < reps; run++) {
    // Alternated, so a neighbour's load on this shared machine falls on both alike.
    freeRates.push(await batch(free, executions));
    billedRates.push(await batch(billed, executions));
    ctx.log(`  run ${run + 1}: free ${freeRates[run].toFixed(0)} exec/s, with billing ${billedRates[run].toFixed(0)} exec/s`);
  }

  const rpc = new RpcClient(ctx.platform.nc, ctx.platform.ns);
  const oneLedger: number[] = [];
  const hundredLedgers: number[] = [];
  for (let run = 0; run < reps; run++) {
    oneLedger.push(await holdRate(rpc, 1, holds, holdsInFlight));
    hundredLedgers.push(await holdRate(rpc, 100, holds, holdsInFlight));
    ctx.log(`  holds: one workspace ${oneLedger[run].toFixed(0)}/s, 100 workspaces ${hundredLedgers[run].toFixed(0)}/s`);
  }

  const shape = `${executions} diamonds, ${inFlight} in flight`;
  ctx.rec.add(W, 'w8.free.perSecond', `Diamond with a free agent_call (${shape})`, 'exec/s', freeRates);
  ctx.rec.add(
    W,
    'w8.billed.perSecond',
    `Diamond with a costed agent_call (${shape})`,
    'exec/s',
    billedRates,
    'hold + charge + release per run',
  );
  ctx.rec.add(
    W,
    'w8.ratio.billedVsFree',
    'With billing / without',
    'ratio',
    billedRates.map((r, i) => r / freeRates[i]),
  );
  ctx.rec.add(W, 'w8.holds.oneWorkspace', `Holds, one workspace (${holds}, ${holdsInFlight} in flight)`, 'holds/s', oneLedger);
  ctx.rec.add(
    W,
    'w8.holds.hundredWorkspaces',
    `Holds, 100 workspaces (${holds}, ${holdsInFlight} in flight)`,
    'holds/s',
    hundredLedgers,
  );
}

/** W2's diamond with `right` an agent call. */
function agentDiamond(agentId: string): GraphSpec {
  const transform = (id: string) => ({ id, type: 'transform', config: { expression: 'input' } });
  return {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input' },
      transform('left'),
      { id: 'right', type: 'agent_call', config: { agentId, prompt: 'ping {{ input.n }}' } },
      transform('join'),
      { id: 'finish', type: 'output', config: { value: '{{ input }}' } },
    ],
    edges: [
      { from: 'start', to: 'left' },
      { from: 'start', to: 'right' },
      { from: 'left', to: 'join' },
      { from: 'right', to: 'join' },
      { from: 'join', to: 'finish' },
    ],
  };
}

/** `count` 1-micro-credit holds over `workspaces` fresh ledgers (granted enough first); holds per second. */
async function holdRate(rpc: RpcClient, workspaces: number, count: number, inFlight: number): Promise<number> {
  const ids = Array.from({ length: workspaces }, () => randomUUID());
  const ctxOf = (workspaceId: string): RequestContext => ({
    workspaceId,
    actor: { id: 'bench', type: 'system', role: 'admin' },
    correlationId: randomUUID(),
  });
  await Promise.all(ids.map((w) => rpc.request(Rpc.billing.creditsGrant, { amount: count }, ctxOf(w))));
  const began = epochMs();
  await runPool(count, inFlight, async (i) => {
    const workspaceId = ids[i % workspaces];
    const answer = await rpc.request<HoldResultView>(
      Rpc.billing.creditsHold,
      { holdId: `bench-${i}`, amount: 1, executionId: 'bench', nodeId: 'hold' },
      ctxOf(workspaceId),
    );
    if (answer.outcome !== 'held') throw new Error(`hold ${i} on ${workspaceId}: ${answer.outcome}`);
  });
  return (count * 1000) / (epochMs() - began);
}
