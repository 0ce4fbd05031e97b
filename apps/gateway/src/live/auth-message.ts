import { FlowstackError } from '@flowstack/contracts';

/** One frame from a client as the adapter hands it over: text frames as strings, binary as bytes. */
export type ClientFrame = string | Buffer | ArrayBuffer | Buffer[];

/** What a browser sends first, since it cannot set an `Authorization` header on a WebSocket. */
export interface AuthMessage {
  token: string;
  workspaceId?: string;
}

const textOf = (frame: ClientFrame): string => {
  if (typeof frame === 'string') return frame;
  if (Array.isArray(frame)) return Buffer.concat(frame).toString('utf8');
  return (Buffer.isBuffer(frame) ? frame : Buffer.from(frame)).toString('utf8');
};

/**
 * The browser's first message: `{"type":"auth","token":"...","workspaceId"?:"..."}`. Anything
 * that is not a JSON object is `validation_failed` (close 4400); an object that is not an auth
 * message with a token is `unauthenticated` (4401); a `workspaceId` that is not a string is
 * `validation_failed`.
 */
export function parseAuthMessage(frame: ClientFrame): AuthMessage {
  let message: unknown;
  try {
    message = JSON.parse(textOf(frame));
  } catch {
    throw new FlowstackError('validation_failed', 'auth message is not valid JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new FlowstackError('validation_failed', 'auth message must be a JSON object: {"type":"auth","token":"..."}');
  }
  const { type, token, workspaceId } = message as Record<string, unknown>;
  if (type !== 'auth' || typeof token !== 'string' || token.length === 0) {
    throw new FlowstackError('unauthenticated', 'first message must be {"type":"auth","token":"..."}');
  }
  if (workspaceId !== undefined && typeof workspaceId !== 'string') {
    throw new FlowstackError('validation_failed', 'workspaceId in the auth message must be a string');
  }
  return workspaceId === undefined ? { token } : { token, workspaceId };
}
