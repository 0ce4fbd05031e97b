import { randomUUID } from 'node:crypto';
import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, watchExecution } from './api-client';

jest.setTimeout(120_000);

/**
 * Kill -9 the tool-runner while its node is mid-request, start another one: JetStream redelivers
 * the unacked task once the ack wait passes, the execution completes, every node completes exactly
 * once, and the target sees at most one extra call per killed attempt.
 */
describe('crash recovery', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let firstCallArrived = false;

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/charge', async (req) => {
        if (!firstCallArrived) {
          firstCallArrived = true;
          // The first attempt never gets an answer: its runner is killed while waiting.
          await new Promise(() => undefined);
        }
        return { json: { charged: JSON.parse(req.body).amount } };
      })
      .start();
    platform = await startPlatform({ label: 'crash', serviceEnv: { 'tool-runner': { WORK_ACK_WAIT_MS: '1500' } } });
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
  });

  it('completes the execution after the tool-runner is SIGKILLed mid-node', async () => {
    const api = new ApiClient(platform.baseUrl);
    const reg = await api.post('/api/v1/auth/register', {
      email: `crash-${randomUUID()}@example.com`,
      password: 'correct horse battery',
    });
    const client = api.as(reg.body.token);
    const wf = await client.post('/api/v1/workflows', {
      name: 'charge',
      graph: {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          {
            id: 'charge',
            type: 'tool',
            config: {
              tool: { kind: 'http', method: 'POST', url: `${target.url}/charge`, body: { amount: '{{ input.amount }}' } },
            },
          },
          { id: 'out', type: 'output', config: { value: '{{ nodes.charge.output.body }}' } },
        ],
        edges: [
          { from: 'in', to: 'charge' },
          { from: 'charge', to: 'out' },
        ],
      },
    });
    expect(wf.status).toBe(201);
    const { executionId } = (await client.post(`/api/v1/workflows/${wf.body.id}/executions`, { input: { amount: 42 } })).body;
    const live = await watchExecution(platform.wsUrl, executionId, reg.body.token);

    await waitFor(() => target.calls('/charge') === 1, 'the first attempt to reach the target');
    await platform.services.get('tool-runner')!.kill();
    await platform.start('tool-runner', { WORK_ACK_WAIT_MS: '1500' });

    await live.closed;
    expect(live.messages.at(-1)).toMatchObject({ type: 'execution_complete', status: 'completed', output: { charged: 42 } });

    const events = (await client.get(`/api/v1/executions/${executionId}/events`)).body.items as Array<{
      type: string;
      data: { nodeId?: string };
    }>;
    for (const nodeId of ['in', 'charge', 'out']) {
      expect(events.filter((e) => e.type === 'NodeCompleted' && e.data.nodeId === nodeId)).toHaveLength(1);
    }
    expect(events.filter((e) => e.type === 'ExecutionCompleted')).toHaveLength(1);
    // One killed attempt: at most one extra call.
    expect(target.calls('/charge')).toBeLessThanOrEqual(2);
    expect((await client.get(`/api/v1/executions/${executionId}`)).body).toMatchObject({
      status: 'completed',
      output: { charged: 42 },
    });
  });
});
