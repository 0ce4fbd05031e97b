/**
 * The pure rules of event triggers and run notifications: the derived id of a triggered run, the
 * depth limit, the scope their JSONata sees, the payload each channel receives and the delivery
 * backoff. No I/O.
 */
import { MAX_TRIGGER_DEPTH, type NotificationChannel, type RunOutcome } from '@flowstack/contracts';
import { uuidV5 } from './fire-identity';

/** The namespace of runs started by event triggers (a fixed random UUID). */
const TRIGGER_RUN_NAMESPACE = '4d2a7c1e-93b8-4f60-8e15-6a0c9b3f7d24';

/**
 * The execution id a trigger starts for one source run: a name-based UUID of (trigger, source
 * run), so a redelivered outcome, or a replica that dies after starting the run and before
 * recording it, starts the same execution again, which the orchestrator answers as already started.
 */
export const triggerExecutionId = (triggerId: string, sourceExecutionId: string): string =>
  uuidV5(TRIGGER_RUN_NAMESPACE, `${triggerId}@${sourceExecutionId}`);

/** One source run's end, as triggers and notifications see it. */
export interface FinishedRun {
  workspaceId: string;
  executionId: string;
  workflowId: string;
  workflowVersion: number;
  outcome: RunOutcome;
  input: unknown;
  /** The output of a completed run (a large one is a value reference). */
  output: unknown;
  /** The error of a failed run. */
  error: { code: string; message: string; nodeId?: string } | null;
  durationMs: number;
  finishedAt: string;
  /** How many triggers chained to this run (0 when it was started any other way). */
  depth: number;
}

/** What a trigger's JSONata (`condition`, `input`) sees: the run as `execution`, and its parts at the top level. */
export const triggerScope = (run: FinishedRun): Record<string, unknown> => {
  const execution = {
    id: run.executionId,
    workflowId: run.workflowId,
    workflowVersion: run.workflowVersion,
    status: run.outcome,
    input: run.input,
    output: run.output,
    error: run.error,
    durationMs: run.durationMs,
    finishedAt: run.finishedAt,
    depth: run.depth,
  };
  return { execution, input: run.input, output: run.output, error: run.error, status: run.outcome };
};

/** A trigger's run is refused once it would be deeper than `MAX_TRIGGER_DEPTH` (X -> Y -> X ...). */
export const depthAllowed = (sourceDepth: number, max: number = MAX_TRIGGER_DEPTH): boolean => sourceDepth + 1 <= max;

/** The depth a run records from its `ExecutionStarted` trigger (absent or malformed: 0). */
export const depthOfTrigger = (trigger: unknown): number => {
  const depth = (trigger as { depth?: unknown } | null | undefined)?.depth;
  return typeof depth === 'number' && Number.isInteger(depth) && depth >= 0 ? depth : 0;
};

/** The generic channel's JSON body; Slack and Discord get a text rendering of the same facts. */
export interface RunNotice {
  type: 'execution.completed' | 'execution.failed';
  notificationId: string;
  deliveryId: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  executionId: string;
  status: RunOutcome;
  durationMs: number;
  finishedAt: string;
  error: { code: string; message: string; nodeId?: string } | null;
}

export const runNotice = (run: FinishedRun, notificationId: string, deliveryId: string): RunNotice => ({
  type: run.outcome === 'completed' ? 'execution.completed' : 'execution.failed',
  notificationId,
  deliveryId,
  workspaceId: run.workspaceId,
  workflowId: run.workflowId,
  workflowVersion: run.workflowVersion,
  executionId: run.executionId,
  status: run.outcome,
  durationMs: run.durationMs,
  finishedAt: run.finishedAt,
  error: run.error
    ? { code: run.error.code, message: run.error.message, ...(run.error.nodeId ? { nodeId: run.error.nodeId } : {}) }
    : null,
});

/** One line for chat channels. */
export const noticeText = (n: RunNotice): string =>
  n.status === 'completed'
    ? `Run ${n.executionId} of workflow ${n.workflowId} (v${n.workflowVersion}) completed in ${n.durationMs} ms`
    : `Run ${n.executionId} of workflow ${n.workflowId} (v${n.workflowVersion}) failed after ${n.durationMs} ms: ` +
      `${n.error?.code ?? 'error'}${n.error?.nodeId ? ` at node ${n.error.nodeId}` : ''}: ${n.error?.message ?? ''}`;

/**
 * The body POSTed to the receiver: Slack's incoming webhook (`text` plus a `section` block),
 * Discord's (`content`, at most 2000 characters), or the generic `RunNotice` JSON.
 */
export function channelBody(channel: NotificationChannel, notice: RunNotice): unknown {
  const text = noticeText(notice);
  switch (channel) {
    case 'slack':
      return {
        text,
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${notice.status === 'completed' ? 'Completed' : 'Failed'}*: ${text}` },
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `execution \`${notice.executionId}\` · ${notice.finishedAt}` }],
          },
        ],
      };
    case 'discord':
      return { content: text.slice(0, 2000) };
    case 'generic':
      return notice;
    default: {
      const never: never = channel;
      return never;
    }
  }
}

/** Attempts of one delivery before it is `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 6;

/**
 * The wait after the `attempt`-th failed try (1-based): `baseMs * 4^(attempt-1)`, at most 1 h, with
 * up to 20% jitter from `random` in [0, 1) so a receiver coming back is not hit by every sender at once.
 * With the default 1 s: about 1 s, 4 s, 16 s, 64 s, 256 s.
 */
export const deliveryBackoffMs = (attempt: number, baseMs: number, random: number): number =>
  Math.round(Math.min(3_600_000, baseMs * 4 ** Math.max(0, attempt - 1)) * (1 + 0.2 * random));

/** A receiver's answer worth trying again: none at all, 408, 425, 429 or 5xx. Other 4xx will not change. */
export const retryableStatus = (status: number | null): boolean =>
  status === null || status === 408 || status === 425 || status === 429 || status >= 500;
