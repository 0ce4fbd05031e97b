import { MAX_TRIGGER_DEPTH } from '@flowstack/contracts';
import {
  channelBody,
  deliveryBackoffMs,
  depthAllowed,
  depthOfTrigger,
  retryableStatus,
  runNotice,
  triggerExecutionId,
  triggerScope,
  type FinishedRun,
} from './run-reactions';

const run: FinishedRun = {
  workspaceId: '11111111-1111-4111-8111-111111111111',
  executionId: '22222222-2222-4222-8222-222222222222',
  workflowId: '33333333-3333-4333-8333-333333333333',
  workflowVersion: 2,
  outcome: 'failed',
  input: { order: 7 },
  output: null,
  error: { code: 'http_error', message: 'upstream answered 500', nodeId: 'fetch' },
  durationMs: 1234,
  finishedAt: '2026-03-01T10:00:00.000Z',
  depth: 1,
};

describe('event trigger rules', () => {
  it('derives one execution id per (trigger, source run)', () => {
    const a = triggerExecutionId('t1', run.executionId);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(triggerExecutionId('t1', run.executionId)).toBe(a);
    expect(triggerExecutionId('t2', run.executionId)).not.toBe(a);
    expect(triggerExecutionId('t1', '44444444-4444-4444-8444-444444444444')).not.toBe(a);
  });

  it('allows a chain up to the depth limit and refuses the next link', () => {
    expect(depthAllowed(0)).toBe(true);
    expect(depthAllowed(MAX_TRIGGER_DEPTH - 1)).toBe(true);
    expect(depthAllowed(MAX_TRIGGER_DEPTH)).toBe(false);
    expect(depthAllowed(2, 2)).toBe(false);
  });

  it('reads the depth a run was started with (absent or malformed is 0)', () => {
    expect(depthOfTrigger({ type: 'event', by: 'x', depth: 3 })).toBe(3);
    expect(depthOfTrigger({ type: 'api' })).toBe(0);
    expect(depthOfTrigger({ type: 'event', depth: -1 })).toBe(0);
    expect(depthOfTrigger({ type: 'event', depth: '2' })).toBe(0);
    expect(depthOfTrigger(undefined)).toBe(0);
  });

  it('gives JSONata the run as execution and its parts at the top', () => {
    const scope = triggerScope(run);
    expect(scope).toMatchObject({ input: { order: 7 }, status: 'failed', error: run.error });
    expect(scope.execution).toMatchObject({ id: run.executionId, workflowId: run.workflowId, status: 'failed', depth: 1 });
  });
});

describe('notification payloads', () => {
  const notice = runNotice(run, 'n1', 'd1');

  it('sends the generic channel the documented JSON', () => {
    expect(channelBody('generic', notice)).toEqual({
      type: 'execution.failed',
      notificationId: 'n1',
      deliveryId: 'd1',
      workspaceId: run.workspaceId,
      workflowId: run.workflowId,
      workflowVersion: 2,
      executionId: run.executionId,
      status: 'failed',
      durationMs: 1234,
      finishedAt: run.finishedAt,
      error: { code: 'http_error', message: 'upstream answered 500', nodeId: 'fetch' },
    });
  });

  it('sends Slack text and blocks, Discord content', () => {
    const slack = channelBody('slack', notice) as { text: string; blocks: unknown[] };
    expect(slack.text).toContain(`Run ${run.executionId}`);
    expect(slack.text).toContain('failed after 1234 ms: http_error at node fetch');
    expect(slack.blocks).toHaveLength(2);
    const discord = channelBody('discord', { ...notice, error: { code: 'x', message: 'y'.repeat(5000) } }) as { content: string };
    expect(discord.content.length).toBe(2000);
    expect(
      (channelBody('discord', runNotice({ ...run, outcome: 'completed', error: null }, 'n', 'd')) as { content: string }).content,
    ).toContain('completed in 1234 ms');
  });
});

describe('delivery retries', () => {
  it('backs off x4 from the base, capped at an hour, with at most 20% jitter', () => {
    expect(deliveryBackoffMs(1, 1000, 0)).toBe(1000);
    expect(deliveryBackoffMs(2, 1000, 0)).toBe(4000);
    expect(deliveryBackoffMs(3, 1000, 0.5)).toBe(17_600);
    expect(deliveryBackoffMs(30, 1000, 0)).toBe(3_600_000);
  });

  it('retries no answer, 408, 425, 429 and 5xx; not other 4xx', () => {
    for (const s of [null, 408, 425, 429, 500, 503]) expect(retryableStatus(s)).toBe(true);
    for (const s of [400, 401, 404, 410]) expect(retryableStatus(s)).toBe(false);
  });
});
