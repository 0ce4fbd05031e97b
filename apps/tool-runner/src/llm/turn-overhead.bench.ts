import { fork, type ChildProcess } from 'node:child_process';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { buildPriceTable } from '@flowstack/pricing';
import { AgentLoop } from './agent-loop';
import { createLlmProvider } from './llm-provider.factory';

/**
 * CPU the tool-runner spends per LLM turn beyond the SDK's own: the same streamed turns (a tool
 * call, then a 50-token answer) once through the bare SDK (create + iterate the events) and once
 * through `AgentLoop` (translation, accumulation, cost, callbacks, argument validation), against
 * a fake vendor in another process. Run: `node -r @swc-node/register apps/tool-runner/src/llm/turn-overhead.bench.ts`.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 500); // each run = 2 turns
const WARMUP = 50;

async function startFake(vendor: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = fork(`${__dirname}/fake-vendor.bench-server.ts`, [vendor], { execArgv: ['-r', '@swc-node/register'] });
  const baseUrl = await new Promise<string>((resolve) => child.once('message', (m: { baseUrl: string }) => resolve(m.baseUrl)));
  return { child, baseUrl };
}

const cpuMs = (start: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

async function bareSdkTurns(vendor: 'anthropic' | 'openai', baseUrl: string, turns: number): Promise<void> {
  if (vendor === 'anthropic') {
    const client = new Anthropic({ apiKey: 'k', baseURL: baseUrl, maxRetries: 0, logLevel: 'off', openTelemetry: false });
    for (let i = 0; i < turns; i++) {
      const stream = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const event of stream) void event;
    }
    return;
  }
  const client = new OpenAI({ apiKey: 'k', baseURL: baseUrl, maxRetries: 0, logLevel: 'off' });
  for (let i = 0; i < turns; i++) {
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) void chunk;
  }
}

async function loopRuns(vendor: 'anthropic' | 'openai', baseUrl: string, runs: number): Promise<void> {
  const loop = new AgentLoop({ llm: createLlmProvider(vendor, { apiKey: 'k', baseUrl }), prices: buildPriceTable() });
  let chunks = 0;
  for (let i = 0; i < runs; i++) {
    await loop.run({
      agent: {
        provider: vendor,
        model: vendor === 'anthropic' ? 'claude-haiku-4-5' : 'gpt-4o-mini',
        systemPrompt: 'Be brief.',
        maxSteps: 5,
      },
      prompt: 'hi',
      tools: [
        {
          name: 'lookup',
          description: 'Looks up',
          inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
        },
      ],
      executeTool: () => Promise.resolve({ found: true }),
      onChunk: () => void chunks++,
      onTurnCompleted: () => undefined,
      onToolCalled: () => undefined,
    });
  }
}

async function main(): Promise<void> {
  for (const vendor of ['anthropic', 'openai'] as const) {
    const { child, baseUrl } = await startFake(vendor);
    try {
      await bareSdkTurns(vendor, baseUrl, WARMUP * 2);
      await loopRuns(vendor, baseUrl, WARMUP);
      const samples: number[] = [];
      for (let round = 0; round < 3; round++) {
        let start = process.cpuUsage();
        await bareSdkTurns(vendor, baseUrl, RUNS * 2);
        const bare = cpuMs(start) / (RUNS * 2);
        start = process.cpuUsage();
        await loopRuns(vendor, baseUrl, RUNS);
        const looped = cpuMs(start) / (RUNS * 2);
        samples.push(looped - bare);
        console.log(
          `${vendor} round ${round + 1}: bare SDK ${bare.toFixed(3)} ms CPU/turn, agent loop ${looped.toFixed(3)} ms CPU/turn, overhead ${(looped - bare).toFixed(3)} ms`,
        );
      }
      samples.sort((a, b) => a - b);
      console.log(`${vendor}: median overhead ${samples[1].toFixed(3)} ms CPU per turn (target < 2 ms)`);
    } finally {
      child.kill();
    }
  }
}

void main();
