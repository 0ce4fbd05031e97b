import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { cancelSubject, streamName, workSubject, type NodeResult, type NodeTask } from '@flowstack/contracts';
import { decodeJson, encodeJson } from '@flowstack/messaging';
import { cleanupNamespace, HttpTarget, randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { ToolRunnerModule } from '../app.module';
import { loadToolRunnerConfig } from '../tool-runner.config';
import { TaskCancellations } from './task-cancellations';

/**
 * The tool-runner against real JetStream and a real HTTP server: a cancel signal aborts a task in
 * flight (its result is a `cancelled` failure), and a task of an execution cancelled before it was
 * pulled is not run at all.
 */
describe('WorkConsumer and cancel signals (NATS)', () => {
  const ns = randomNamespace('runcancel');
  const results = streamName(ns, 'RESULTS');
  const target = new HttpTarget();
  let app: INestApplicationContext | undefined;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));

  beforeAll(async () => {
    target
      .route('GET', '/held', async () => {
        await held;
        return { json: { ok: true } };
      })
      .route('GET', '/fast', () => ({ json: { ok: true } }));
    await target.start();
    const config = {
      ...loadToolRunnerConfig({ NATS_URL: TEST_NATS_URL, FLOWSTACK_NS: ns.prefix, TOOL_HTTP_ALLOW_PRIVATE: 'true' }),
      logLevel: 'warn' as const,
    };
    app = await NestFactory.createApplicationContext(ToolRunnerModule.forRoot(config), { logger: ['error'] });
    await app.init();
    nc = await connect({ servers: TEST_NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    release();
    await app?.close();
    await nc?.close();
    await target.stop();
    await cleanupNamespace(ns);
  });

  const publishTask = async (executionId: string, path: string): Promise<string> => {
    const task: NodeTask = {
      taskId: `${executionId}:call:1`,
      executionId,
      workspaceId: 'ws',
      attempt: 1,
      node: { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: `${target.url}${path}` } } },
      scope: { input: {}, nodes: {}, execution: { id: executionId, workflowId: 'w', workflowVersion: 1, startedAt: '' } },
    };
    await js.publish(workSubject(ns, 'tool'), encodeJson(task), { msgID: task.taskId });
    return task.taskId;
  };

  const resultOf = async (taskId: string): Promise<NodeResult | undefined> => {
    const { first_seq, last_seq } = (await jsm.streams.info(results)).state;
    for (let seq = first_seq; seq <= last_seq && last_seq > 0; seq++) {
      const m = await jsm.streams.getMessage(results, { seq });
      const result = m ? decodeJson<NodeResult>(m.data) : undefined;
      if (result?.taskId === taskId) return result;
    }
    return undefined;
  };

  const cancel = (executionId: string) =>
    nc.publish(cancelSubject(ns, executionId), encodeJson({ executionId, workspaceId: 'ws', reason: null }));

  it('aborts a task in flight on its execution’s cancel signal', async () => {
    const executionId = randomUUID();
    const taskId = await publishTask(executionId, '/held');
    await waitFor(() => target.calls('/held') === 1, 'the held call to reach the server');
    cancel(executionId);
    const result = await waitFor(() => resultOf(taskId), 'the cancelled task’s result');
    expect(result).toMatchObject({ status: 'failed', error: { code: 'cancelled', retryable: false } });
    expect(app!.get(TaskCancellations).aborted).toBe(1);
  });

  it('does not run a task of an execution cancelled before the task was pulled', async () => {
    const executionId = randomUUID();
    cancel(executionId);
    await waitFor(() => app!.get(TaskCancellations).isCancelled(executionId), 'the signal to arrive');
    const taskId = await publishTask(executionId, '/fast');
    const result = await waitFor(() => resultOf(taskId), 'the skipped task’s result');
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'cancelled', message: expect.stringContaining('before this attempt started') },
    });
    expect(target.calls('/fast')).toBe(0);
  });
});
