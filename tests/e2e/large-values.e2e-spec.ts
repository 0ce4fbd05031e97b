import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Limits, isValueRef, type ValueRef } from '@flowstack/contracts';
import { HttpTarget, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, registerTenant, watchExecution } from './api-client';

jest.setTimeout(180_000);

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Issue 7, rows 3 (second half), 6 and 7, and the task size finding: values too large for one
 * bus message travel as claim checks (`{ ref, size, sha256 }`) stored once in JetStream's object
 * store; events, tasks and results stay small, and the API reads give the values back. Through
 * the gateway, against every service as a real process; afterwards every event in Postgres is
 * under `Limits.maxEventBytes`, the orchestrator and tool-runner are alive, and another
 * workspace's executions still complete and get published.
 */
describe('large values (claim checks)', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let pool: Pool;
  let api: ApiClient;
  const bigBody = { data: 'y'.repeat(1_500_000), tail: 'end' };

  beforeAll(async () => {
    target = await new HttpTarget()
      .route('POST', '/big', () => ({ json: bigBody }))
      .route('POST', '/echo', (req) => ({ json: { got: JSON.parse(req.body) as unknown } }))
      .start();
    platform = await startPlatform({ label: 'bigvalues' });
    pool = new Pool({ connectionString: platform.env.DATABASE_URL, max: 2 });
    pool.on('error', () => undefined);
    api = new ApiClient(platform.baseUrl);
  });

  afterAll(async () => {
    await pool?.end();
    await platform?.stop();
    await target?.stop();
  });

  const run = async (client: ApiClient, graph: unknown, input: unknown = {}): Promise<string> => {
    const wf = await client.post('/api/v1/workflows', { name: `wf-${randomUUID()}`, graph });
    expect(wf.status).toBe(201);
    const started = await client.post(`/api/v1/workflows/${wf.body.id}/executions`, { input });
    expect(started.status).toBe(202);
    return started.body.executionId as string;
  };

  /** Polls the public read until the execution has finished, and returns that read. */
  const finished = (client: ApiClient, executionId: string) =>
    waitFor(
      async () => {
        const res = await client.get(`/api/v1/executions/${executionId}`);
        return res.status === 200 && ['completed', 'failed'].includes(res.body.status) ? res : undefined;
      },
      `execution ${executionId} to finish`,
      60_000,
      100,
    );

  /** Every event of the execution through the API, following the cursor page by page. */
  const allEvents = async (client: ApiClient, executionId: string) => {
    const items: Array<{ seq: number; type: string; data: any }> = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: any } = await client.get(
        `/api/v1/executions/${executionId}/events${cursor ? `?cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  };

  const largestStoredEvent = async (executionId: string): Promise<number> => {
    const { rows } = await pool.query<{ max: number | null }>(
      'SELECT max(octet_length(data::text)) AS max FROM event_store.events WHERE stream_id = $1',
      [`execution-${executionId}`],
    );
    return Number(rows[0].max ?? 0);
  };

  /** A small run in a fresh workspace completes, and the relay's checkpoint passes its last event. */
  const anotherWorkspaceStillFlows = async (): Promise<void> => {
    const other = await registerTenant(api, 'big');
    const executionId = await run(
      other.client,
      {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'out', type: 'output', config: { value: '{{ input.n + 1 }}' } },
        ],
        edges: [{ from: 'in', to: 'out' }],
      },
      { n: 41 },
    );
    expect((await finished(other.client, executionId)).body).toMatchObject({ status: 'completed', output: 42 });
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ passed: boolean }>(
          `SELECT coalesce((SELECT c.global_position FROM event_store.checkpoints c WHERE c.name = 'events'), 0)
                  >= (SELECT max(e.global_position) FROM event_store.events e WHERE e.stream_id = $1) AS passed`,
          [`execution-${executionId}`],
        );
        return rows[0]?.passed === true;
      },
      "the outbox relay's checkpoint to pass another workspace's execution",
      30_000,
      100,
    );
  };

  const expectServicesAlive = (): void => {
    for (const name of ['orchestrator', 'tool-runner', 'gateway'] as const) {
      expect(platform.services.get(name)!.child.exitCode).toBeNull();
    }
  };

  it('row 3: a 300 KB input echoed by an output node reads back whole (execution, events, WebSocket, value download)', async () => {
    const owner = await registerTenant(api, 'big');
    const input = { text: 'z'.repeat(300_000) };
    const executionId = await run(
      owner.client,
      {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input' },
          { id: 'out', type: 'output', config: { value: '{{ input }}' } },
        ],
        edges: [{ from: 'in', to: 'out' }],
      },
      input,
    );
    const view = (await finished(owner.client, executionId)).body;
    expect(view.status).toBe('completed');
    expect(view.input).toEqual(input);
    expect(view.output).toEqual(input);
    expect(view.nodes.in.output).toEqual(input);

    // The audit trail pages within the bus's limits and carries references, never the 300 KB.
    const events = await allEvents(owner.client, executionId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const started = events.find((e) => e.type === 'ExecutionStarted')!;
    expect(isValueRef(started.data.input)).toBe(true);
    const ref = started.data.input as ValueRef;
    expect(ref).toMatchObject({ size: JSON.stringify(input).length, sha256: sha256(JSON.stringify(input)) });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionCompleted', data: { output: ref } });
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);

    // The WebSocket replay of the finished run gets every event up to the end.
    const live = await watchExecution(platform.wsUrl, executionId, owner.token);
    await waitFor(() => live.messages.some((m) => m.type === 'execution_complete'), 'the replay to reach the end', 30_000);
    live.socket.close();
    expect(live.messages.find((m) => m.type === 'execution_complete')).toMatchObject({ status: 'completed' });

    // The value itself downloads, for its owner only.
    const download = await owner.client.get(`/api/v1/executions/${executionId}/values/${ref.sha256}`);
    expect(download.status).toBe(200);
    expect(download.body).toEqual(input);
    const stranger = await registerTenant(api, 'big');
    expect((await stranger.client.get(`/api/v1/executions/${executionId}/values/${ref.sha256}`)).status).toBe(404);
    expect((await owner.client.get(`/api/v1/executions/${executionId}/values/${'0'.repeat(64)}`)).status).toBe(404);

    expectServicesAlive();
    await anotherWorkspaceStillFlows();
  });

  it('row 6: a transform making 2 MB stores it out of band; the run completes, reads back, and the relay moves on', async () => {
    const owner = await registerTenant(api, 'big');
    const executionId = await run(owner.client, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'pad', type: 'transform', config: { expression: '$pad("x", 2000000)' } },
        { id: 'len', type: 'transform', config: { expression: '$length(nodes.pad.output)' } },
        { id: 'out', type: 'output', config: { value: { text: '{{ nodes.pad.output }}', length: '{{ nodes.len.output }}' } } },
      ],
      edges: [
        { from: 'in', to: 'pad' },
        { from: 'pad', to: 'len' },
        { from: 'len', to: 'out' },
      ],
    });
    const view = (await finished(owner.client, executionId)).body;
    expect(view.status).toBe('completed');
    // The next expression saw the real string, not the reference.
    expect(view.output.length).toBe(2_000_000);
    // JSONata's $pad pads with spaces.
    expect(sha256(view.output.text)).toBe(sha256('x'.padEnd(2_000_000)));
    expect(view.nodes.pad.output).toHaveLength(2_000_000);
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);
    expectServicesAlive();
    await anotherWorkspaceStillFlows();
  });

  it('row 6: an output above maxValueBytes fails its node with output_too_large, and nothing crashes', async () => {
    const owner = await registerTenant(api, 'big');
    const executionId = await run(owner.client, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'pad', type: 'transform', config: { expression: `$pad("x", ${Limits.maxValueBytes + 1})` } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.pad.output }}' } },
      ],
      edges: [
        { from: 'in', to: 'pad' },
        { from: 'pad', to: 'out' },
      ],
    });
    const view = (await finished(owner.client, executionId)).body;
    expect(view.status).toBe('failed');
    expect(view.nodes.pad).toMatchObject({ status: 'failed', error: { code: 'output_too_large' } });
    expect(view.error).toMatchObject({ code: 'output_too_large', nodeId: 'pad' });
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);
    expectServicesAlive();
    await anotherWorkspaceStillFlows();
  });

  it('row 7: an http tool answering 1.5 MB is called once, completes, and its output reads back whole', async () => {
    const owner = await registerTenant(api, 'big');
    const before = target.calls('/big');
    const executionId = await run(owner.client, {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'call', type: 'tool', config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/big`, body: {} } } },
        { id: 'size', type: 'transform', config: { expression: '$length(nodes.call.output.body.data)' } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'call' },
        { from: 'call', to: 'size' },
        { from: 'size', to: 'out' },
      ],
    });
    const view = (await finished(owner.client, executionId)).body;
    expect(view.status).toBe('completed');
    expect(target.calls('/big') - before).toBe(1);
    expect(view.nodes.size.output).toBe(1_500_000);
    expect(sha256(JSON.stringify(view.output))).toBe(sha256(JSON.stringify(bigBody)));
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);
    expectServicesAlive();
    await anotherWorkspaceStillFlows();
  });

  it('a workflow whose graph is above the inline limit starts, runs and reads back (the graph goes out of band)', async () => {
    const owner = await registerTenant(api, 'big');
    const executionId = await run(
      owner.client,
      {
        entry_point: 'in',
        nodes: [
          { id: 'in', type: 'input', label: 'In', config: { notes: 'n'.repeat(300_000) } },
          { id: 'out', type: 'output', config: { value: '{{ input.n * 2 }}' } },
        ],
        edges: [{ from: 'in', to: 'out' }],
      },
      { n: 21 },
    );
    const view = (await finished(owner.client, executionId)).body;
    expect(view).toMatchObject({ status: 'completed', output: 42 });
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);
  });

  it('a tool task whose scope holds many medium outputs still fits on the bus and sees them all', async () => {
    const owner = await registerTenant(api, 'big');
    const count = 20;
    const ids = Array.from({ length: count }, (_, i) => `m${i}`);
    // Each output is just under the inline limit: none is a reference, together they exceed one message.
    const medium = Math.floor(Limits.inlineValueBytes / 1.1);
    const nodes = [
      { id: 'in', type: 'input' },
      ...ids.map((id) => ({ id, type: 'transform', config: { expression: `$pad("${id}", ${medium}, "-")` } })),
      {
        id: 'call',
        type: 'tool',
        config: {
          tool: {
            kind: 'http',
            method: 'POST',
            url: `${target.url}/echo`,
            body: { total: `{{ $sum([${ids.map((id) => `$length(nodes.${id}.output)`).join(', ')}]) }}` },
          },
        },
      },
      { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body.got.total }}' } },
    ];
    const edges = [
      { from: 'in', to: ids[0] },
      ...ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
      { from: ids[count - 1], to: 'call' },
      { from: 'call', to: 'out' },
    ];
    const executionId = await run(owner.client, { entry_point: 'in', nodes, edges });
    const view = (await finished(owner.client, executionId)).body;
    expect(view.status).toBe('completed');
    expect(view.output).toBe(count * medium);
    expect(await largestStoredEvent(executionId)).toBeLessThanOrEqual(Limits.maxEventBytes);
    expectServicesAlive();
  });
});
