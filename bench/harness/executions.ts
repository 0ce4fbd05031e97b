import type { BenchPlatform } from './bench-platform';
import { epochMs } from './clock';

/**
 * Starts one execution through the API and resolves with its latency in ms: from sending the
 * start request to the terminal event passing on the bus. Fails on a failed execution, so a
 * figure is never made of errors.
 */
export async function timedExecution(platform: BenchPlatform, workflowId: string, timeoutMs: number): Promise<number> {
  const sent = epochMs();
  const executionId = await platform.api.startExecution(workflowId, { n: 1 });
  const done = await platform.tap.completion(executionId, timeoutMs).catch(async (e: Error) => {
    // Say where it stopped: the folded state tells a lost event from a stuck node.
    const state = await platform.api.getExecution(executionId).catch(() => undefined);
    throw new Error(`${e.message}; its state: ${JSON.stringify(state)}`);
  });
  if (done.status !== 'completed') throw new Error(`execution ${executionId} ${done.status}`);
  return done.at - sent;
}
