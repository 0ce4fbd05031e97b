import type { NodeResult, NodeTask } from '@flowstack/contracts';
import { decodeJson } from '@flowstack/messaging';
import type { NodeToFail } from './dead-letter.recorder';
import type { NewDeadLetter } from './dead-letter.store';

/** Where a parked JetStream message was and why it was given up. */
export interface PoisonOrigin {
  source: 'results' | 'work';
  stream: string;
  consumer: string;
  sequence: number;
  subject: string;
  deliveries: number;
  error: string;
}

/** What the orchestrator can make of a parked message: the letter, and the node attempt to fail. */
export interface ParkedMessage {
  letter: NewDeadLetter;
  node?: NodeToFail;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 500;

/** The node attempt a task or result names, when it names one in a usable shape. */
function attemptOf(body: unknown): Omit<NodeToFail, 'code' | 'message'> | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Partial<NodeResult & NodeTask>;
  const nodeId = isText(b.nodeId) ? b.nodeId : isText(b.node?.id) ? b.node.id : undefined;
  if (!isText(b.executionId) || !isText(b.workspaceId) || !isText(b.taskId) || !nodeId) return undefined;
  if (typeof b.attempt !== 'number' || !Number.isInteger(b.attempt) || b.attempt < 1) return undefined;
  return { executionId: b.executionId, workspaceId: b.workspaceId, nodeId, attempt: b.attempt, taskId: b.taskId };
}

/**
 * Builds the dead letter of a WORK task or RESULTS result, and the failure of the node attempt it
 * belonged to: `task_undeliverable` for a task no runner finished, `result_unprocessable` for a
 * result the orchestrator could not record. A body that is not JSON, or names no attempt, becomes a
 * letter without a workspace (logged only) and fails nothing.
 */
export function parkedMessage(origin: PoisonOrigin, data: Uint8Array): ParkedMessage {
  let body: unknown;
  try {
    body = decodeJson<unknown>(data);
  } catch {
    body = undefined;
  }
  const attempt = attemptOf(body);
  const letter: NewDeadLetter = {
    source: origin.source,
    stream: origin.stream,
    consumer: origin.consumer,
    sequence: origin.sequence,
    subject: origin.subject,
    deliveries: origin.deliveries,
    error: origin.error,
    payload: data,
    ...(attempt
      ? { workspaceId: attempt.workspaceId, executionId: attempt.executionId, taskId: attempt.taskId, nodeId: attempt.nodeId }
      : {}),
  };
  if (!attempt) return { letter };
  const code = origin.source === 'work' ? 'task_undeliverable' : 'result_unprocessable';
  const what =
    origin.source === 'work'
      ? `the node's task was delivered ${origin.deliveries} time(s) without a result`
      : `the node's result could not be recorded after ${origin.deliveries} delivery(ies)`;
  return { letter, node: { ...attempt, code, message: `${what}; it was parked as a dead letter: ${origin.error}` } };
}
