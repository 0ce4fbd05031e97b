import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { streamName, subject, workSubject, type NodeResult, type NodeTask } from '@flowstack/contracts';
import { decodeJson, encodeJson, ensureDurableConsumer } from '@flowstack/messaging';
import { cleanupNamespace, HttpTarget, randomNamespace, TEST_NATS_URL, waitFor } from '@flowstack/testing';
import { ToolRunnerModule } from '../app.module';
import { loadToolRunnerConfig } from '../tool-runner.config';
import { WORK_CONSUMER, PULL_EXPIRES_MS } from './work.consumer';

const CONCURRENCY = 4;

/** Keeps the runner's warnings so a test can wait for one. */
class RecordingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(message: unknown): void {
    console.error(message);
  }
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

/**
 * The tool-runner's pull loop against real JetStream and a real HTTP tool: it holds no more tasks
 * than it has slots, starts tasks on an idle runner at once, refills freed slots without waiting for
 * a pull request to expire, survives a deleted consumer, and stops pulling at once on shutdown.
 */
describe('WorkConsumer pull loop (NATS)', () => {
  const ns = randomNamespace('runner');
  const work = streamName(ns, 'WORK');
  const results = streamName(ns, 'RESULTS');
  const target = new HttpTarget();
  const logger = new RecordingLogger();
  const config = {
    ...loadToolRunnerConfig({
      NATS_URL: TEST_NATS_URL,
      FLOWSTACK_NS: ns.prefix,
      TOOL_RUNNER_CONCURRENCY: String(CONCURRENCY),
      TOOL_HTTP_ALLOW_PRIVATE: 'true',
      TOOL_RUNNER_DRAIN_MS: '2000',
    }),
    logLevel: 'warn' as const,
  };
  let app: INestApplicationContext | undefined;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let running = 0;
  let maxRunning = 0;
  let releaseHeld: () => void = () => undefined;
  const held = new Promise<void>((r) => (releaseHeld = r));
  let releaseCopy: () => void = () => undefined;
  const copyHeld = new Promise<void>((r) => (releaseCopy = r));

  beforeAll(async () => {
    target
      .route('GET', '/slow', async () => {
        maxRunning = Math.max(maxRunning, ++running);
        await new Promise((r) => setTimeout(r, 250));
        running--;
        return { json: { ok: true } };
      })
      .route('GET', '/held', async () => {
        await held;
        return { json: { ok: true } };
      })
      .route('GET', '/copy', async () => {
        await copyHeld;
        return { json: { ok: true } };
      })
      .route('GET', '/fast', () => ({ json: { ok: true } }))
      .route('GET', '/hang', () => new Promise(() => undefined));
    await target.start();
    app = await NestFactory.createApplicationContext(ToolRunnerModule.forRoot(config), { logger });
    await app.init();
    nc = await connect({ servers: TEST_NATS_URL });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    releaseHeld();
    releaseCopy();
    await app?.close();
    await nc?.close();
    await target.stop();
    await cleanupNamespace(ns);
  });

  const publishTasks = async (path: string, count: number): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const executionId = randomUUID();
      const task: NodeTask = {
        taskId: `${executionId}:call:1`,
        executionId,
        workspaceId: randomUUID(),
        attempt: 1,
        node: { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: `${target.url}${path}` } } },
        scope: { input: {}, nodes: {}, execution: { id: executionId, workflowId: 'w', workflowVersion: 1, startedAt: '' } },
      };
      await js.publish(workSubject(ns, 'tool'), encodeJson(task), { msgID: task.taskId });
      ids.push(task.taskId);
    }
    return ids;
  };

  const resultCount = async (): Promise<number> => (await jsm.streams.info(results)).state.messages;

  /**
   * True once every one of `taskIds` has its result in RESULTS. Counted by task id, not by the
   * stream's message count: a result of an earlier test can still land after a count was taken.
   */
  const haveResults = async (taskIds: string[]): Promise<boolean> => {
    const stored = new Set((await readResults()).map((r) => r.taskId));
    return taskIds.every((id) => stored.has(id));
  };

  const readResults = async (): Promise<NodeResult[]> => {
    const { first_seq, last_seq } = (await jsm.streams.info(results)).state;
    const all: NodeResult[] = [];
    for (let seq = first_seq; seq <= last_seq; seq++) {
      const m = await jsm.streams.getMessage(results, { seq });
      if (m) all.push(decodeJson<NodeResult>(m.data));
    }
    return all;
  };

  const consumerInfo = () => jsm.consumers.info(work, WORK_CONSUMER);

  it('never holds more tasks than its concurrency, and works all of them', async () => {
    const taskIds = await publishTasks('/slow', 20);
    let maxAckPending = 0;
    await waitFor(
      async () => {
        maxAckPending = Math.max(maxAckPending, (await consumerInfo()).num_ack_pending);
        return (await resultCount()) === 20;
      },
      'all 20 results',
      8_000,
      10,
    );

    // The server's count trails the runner: an ack is fire-and-forget, so a freed slot's next pull
    // can be served before the server has processed the ack that freed it (seen: 6 under load). It
    // still cannot exceed one unprocessed ack plus one new task per slot, while a runner that
    // buffered the backlog would show up to all 20.
    expect(maxAckPending).toBeGreaterThanOrEqual(CONCURRENCY);
    expect(maxAckPending).toBeLessThanOrEqual(2 * CONCURRENCY);
    expect(maxRunning).toBe(CONCURRENCY);
    const all = await readResults();
    expect(all.map((r) => r.taskId).sort()).toEqual([...taskIds].sort());
    expect(all.every((r) => r.status === 'succeeded')).toBe(true);
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 'every task to be acked');
  });

  it('starts a task published to an idle runner at once', async () => {
    // The runner's pull request is waiting on the server.
    await waitFor(async () => (await consumerInfo()).num_waiting > 0, 'a waiting pull request');
    const before = target.calls('/fast');
    const taskIds = await publishTasks('/fast', 1);
    // Within the life of one pull request: no timing assertion beyond that (the machine is shared).
    await waitFor(() => target.calls('/fast') === before + 1, 'the task to reach the tool', PULL_EXPIRES_MS, 5);
    // Its result is in before the next test counts anything.
    await waitFor(() => haveResults(taskIds), 'its result');
  });

  it('puts slots freed while a pull request waits to work as soon as tasks come', async () => {
    // Two long tasks take two slots of the waiting request, which then waits for two more...
    const heldIds = await publishTasks('/held', 2);
    await waitFor(() => target.calls('/held') === 2, 'both held tasks to start');
    // ...and the two slots they free are outside that request once they finish.
    releaseHeld();
    await waitFor(() => haveResults(heldIds), 'the held tasks to finish');

    const before = target.calls('/fast');
    const fastIds = await publishTasks('/fast', CONCURRENCY);
    // Within the request's expiry: the freed slots were pulled for right after it filled.
    await waitFor(() => target.calls('/fast') === before + CONCURRENCY, 'all four tasks to start', PULL_EXPIRES_MS, 5);
    await waitFor(() => haveResults(fastIds), 'their results');
  });

  it('keeps pulling, with a warning, after its consumer is deleted and made again', async () => {
    await jsm.consumers.delete(work, WORK_CONSUMER);
    await waitFor(() => logger.warnings.some((w) => w.startsWith('pulling tasks failed')), 'the pull failure to be logged');
    await ensureDurableConsumer(jsm, {
      stream: work,
      name: WORK_CONSUMER,
      filterSubject: subject(ns, 'work.>'),
      ackWaitMs: config.ackWaitMs,
      maxDeliver: config.maxDeliver,
      maxAckPending: 20_000,
    });
    const taskIds = await publishTasks('/fast', 1);
    await waitFor(() => haveResults(taskIds), 'a task after the consumer came back', 8_000);
  });

  it('runs a second copy of a task it is running once: the copy waits and is acked with it', async () => {
    const [taskId] = await publishTasks('/copy', 1);
    await waitFor(() => target.calls('/copy') === 1, 'the first copy to reach the tool');
    // The same task again as another message (a republish; a redelivery looks the same to the runner).
    const first = await jsm.streams.getMessage(work, { last_by_subj: workSubject(ns, 'tool') });
    await js.publish(workSubject(ns, 'tool'), first!.data, { msgID: `${taskId}:copy` });
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 2, 'both copies to be held by the runner');
    releaseCopy();
    await waitFor(() => haveResults([taskId]), 'the result');
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 'both copies to be acked');
    expect(target.calls('/copy')).toBe(1);
    expect((await readResults()).filter((r) => r.taskId === taskId)).toHaveLength(1);
  });

  it('acks a copy of a task it already finished without running it again (a late redelivery)', async () => {
    const before = target.calls('/fast');
    const [taskId] = await publishTasks('/fast', 1);
    await waitFor(() => haveResults([taskId]), 'the first copy to publish its result');
    await waitFor(async () => (await consumerInfo()).num_ack_pending === 0, 'the first copy to be acked');
    expect(target.calls('/fast')).toBe(before + 1);
    // What a redelivery whose ack came in too late looks like to the runner: the same task again.
    const executionId = taskId.split(':')[0];
    const copy: NodeTask = {
      taskId,
      executionId,
      workspaceId: randomUUID(),
      attempt: 1,
      node: { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: `${target.url}/fast` } } },
      scope: { input: {}, nodes: {}, execution: { id: executionId, workflowId: 'w', workflowVersion: 1, startedAt: '' } },
    };
    const ack = await js.publish(workSubject(ns, 'tool'), encodeJson(copy), { msgID: `${taskId}:late-copy` });
    await waitFor(async () => (await consumerInfo()).ack_floor.stream_seq >= ack.seq, 'the copy to be acked');
    expect(target.calls('/fast')).toBe(before + 1);
    expect((await readResults()).filter((r) => r.taskId === taskId)).toHaveLength(1);
  });

  it('stops pulling at once on shutdown, without waiting for the pull request to expire', async () => {
    await waitFor(async () => (await consumerInfo()).num_waiting > 0, 'a waiting pull request');
    const startedAt = Date.now();
    await app!.close();
    app = undefined;
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect((await consumerInfo()).num_ack_pending).toBe(0);
  });

  it('hands a task that outlasts TOOL_RUNNER_DRAIN_MS back to the stream at shutdown, with no result', async () => {
    app = await NestFactory.createApplicationContext(ToolRunnerModule.forRoot(config), { logger });
    await app.init();
    const [taskId] = await publishTasks('/hang', 1);
    await waitFor(() => target.calls('/hang') === 1, 'the task to start');
    await app.close();
    app = undefined;
    // Nak'ed, not failed: nothing in RESULTS for it, nothing left pending an ack, the task back in WORK.
    expect((await readResults()).some((r) => r.taskId === taskId)).toBe(false);
    // Handed back: another puller gets it within one 5 s pull, sooner than the ack wait (15 s) that
    // a task held by a dead runner waits out.
    const batch = await js.consumers.get(work, WORK_CONSUMER).then((c) => c.fetch({ max_messages: 1, expires: 5_000 }));
    let again: { taskId: string; deliveries: number } | undefined;
    for await (const m of batch) {
      again = { taskId: decodeJson<NodeTask>(m.data).taskId, deliveries: m.info.deliveryCount };
      m.term();
    }
    expect(again).toEqual({ taskId, deliveries: 2 });
  });
});
