import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { streamName, workSubject, type NodeResult, type NodeTask } from '@flowstack/contracts';
import { decodeJson, encodeJson } from '@flowstack/messaging';
import { HttpTarget, randomNamespace, startNatsServer, waitFor, type OwnNatsServer } from '@flowstack/testing';
import { ToolRunnerModule } from '../app.module';
import { loadToolRunnerConfig } from '../tool-runner.config';
import { WORK_CONSUMER } from './work.consumer';

jest.setTimeout(60_000);

/**
 * Issue 7 row 7, the runner's half: a tool whose answer makes a result the bus cannot carry. The
 * runner publishes a small `result_unpublishable` failure instead, acks the task, and never calls
 * the tool again (before: the publish threw, the task was nak'ed and the POST re-sent 5 times).
 *
 * Outputs above `Limits.inlineValueBytes` go out of band (the claim check), so on a server with the
 * default 1 MiB `max_payload` every result fits. This runs against a server of its own whose
 * `max_payload` (32 KB) is below the inline limit: a 50 KB output stays inline and does not fit.
 */
describe('WorkConsumer: a result that cannot be published (NATS)', () => {
  const ns = randomNamespace('fallback');
  const work = streamName(ns, 'WORK');
  const results = streamName(ns, 'RESULTS');
  const target = new HttpTarget();
  let server: OwnNatsServer;
  let app: INestApplicationContext | undefined;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    target
      // 50 KB of JSON: inline (under 64 KiB) but over this server's 32 KB max_payload.
      .route('POST', '/big', () => ({ json: { blob: 'x'.repeat(50_000) } }))
      .route('POST', '/small', () => ({ json: { ok: true } }));
    await target.start();
    server = await startNatsServer({ maxPayload: 32 * 1024 });
    const config = {
      ...loadToolRunnerConfig({
        NATS_URL: server.url,
        FLOWSTACK_NS: ns.prefix,
        TOOL_HTTP_ALLOW_PRIVATE: 'true',
        WORK_ACK_WAIT_MS: '1500',
      }),
      logLevel: 'warn' as const,
    };
    app = await NestFactory.createApplicationContext(ToolRunnerModule.forRoot(config), { logger: ['error'] });
    await app.init();
    nc = await connect({ servers: server.url });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await app?.close();
    await nc?.close();
    await target.stop();
    await server?.stop();
  });

  const publishTask = async (path: string): Promise<NodeTask> => {
    const executionId = randomUUID();
    const task: NodeTask = {
      taskId: `${executionId}:call:1`,
      executionId,
      workspaceId: randomUUID(),
      attempt: 1,
      node: {
        id: 'call',
        type: 'tool',
        config: {
          tool: { kind: 'http', method: 'POST', url: `${target.url}${path}`, headers: { 'content-type': 'application/json' } },
        },
      },
      scope: { input: {}, nodes: {}, execution: { id: executionId, workflowId: 'w', workflowVersion: 1, startedAt: '' } },
    };
    await js.publish(workSubject(ns, 'tool'), encodeJson(task), { msgID: task.taskId });
    return task;
  };

  /** Every result on RESULTS for one task (the stream keeps them: nobody consumes it here). */
  const resultsOf = async (taskId: string): Promise<NodeResult[]> => {
    const { first_seq, last_seq, messages } = (await jsm.streams.info(results)).state;
    const all: NodeResult[] = [];
    if (messages === 0) return all;
    for (let seq = first_seq; seq <= last_seq; seq++) {
      const m = await jsm.streams.getMessage(results, { seq });
      if (m) all.push(decodeJson<NodeResult>(m.data));
    }
    return all.filter((r) => r.taskId === taskId);
  };

  /** The task was acked: nothing pending or waiting for an ack on WORK. */
  const settled = async (): Promise<boolean> => {
    const info = await jsm.consumers.info(work, WORK_CONSUMER);
    return info.num_ack_pending === 0 && info.num_pending === 0;
  };

  it('publishes a result_unpublishable failure for an answer the bus cannot carry, acks the task and calls the tool once', async () => {
    const path = '/big';
    const before = target.calls(path);
    const task = await publishTask(path);

    await waitFor(async () => (await resultsOf(task.taskId)).length > 0, 'a result for the task', 20_000);
    await waitFor(settled, 'the task to be acked');
    // A marker task behind it: once its result is in, any redelivery of the first would have run.
    const marker = await publishTask('/small');
    await waitFor(async () => (await resultsOf(marker.taskId)).length > 0, 'the marker result');

    const [result, ...more] = await resultsOf(task.taskId);
    expect(more).toHaveLength(0);
    expect(result).toMatchObject({
      taskId: task.taskId,
      executionId: task.executionId,
      workspaceId: task.workspaceId,
      nodeId: 'call',
      attempt: 1,
      status: 'failed',
      error: { code: 'result_unpublishable', retryable: false },
    });
    expect(result.status === 'failed' && result.error.message).toMatch(/bytes; one message on the bus carries at most/);
    expect(target.calls(path) - before).toBe(1);
    expect((await jsm.consumers.info(work, WORK_CONSUMER)).num_redelivered).toBe(0);
  });
});
