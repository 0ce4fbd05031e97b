import type { IncomingMessage } from 'node:http';
import { FlowstackError, MAX_STREAM_POSITION } from '@flowstack/contracts';

const PATH = /^\/ws\/executions\/([^/]+)\/?$/;

/** What a `WS /ws/executions/{id}?fromSeq=N` upgrade asks to watch. */
export interface WatchTarget {
  executionId: string;
  /** Resume after this stream position (0: from the start). */
  fromSeq: number;
  workspaceId?: string;
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Reads the upgrade request's target. Throws `not_found` for any other path and
 * `validation_failed` (HTTP 400 before the upgrade) for an id that is not valid percent-encoding
 * (`%E0%A4%A` threw a `URIError` that took the gateway down) or a `fromSeq` that is not an integer
 * from 0 to the largest stream position.
 */
export function upgradeTargetOf(req: IncomingMessage): WatchTarget {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://gateway');
  } catch {
    throw new FlowstackError('validation_failed', 'request target is not a valid URL');
  }
  const match = PATH.exec(url.pathname);
  if (!match) throw new FlowstackError('not_found', 'no such endpoint');
  let executionId: string;
  try {
    executionId = decodeURIComponent(match[1]);
  } catch {
    throw new FlowstackError('validation_failed', 'execution id is not valid percent-encoding', [
      { path: 'executionId', message: 'not valid percent-encoding', rule: 'encoding' },
    ]);
  }
  const rawFromSeq = url.searchParams.get('fromSeq');
  const fromSeq = rawFromSeq === null || rawFromSeq === '' ? 0 : Number(rawFromSeq);
  if (!Number.isInteger(fromSeq) || fromSeq < 0 || fromSeq > MAX_STREAM_POSITION) {
    throw new FlowstackError('validation_failed', `fromSeq must be an integer from 0 to ${MAX_STREAM_POSITION}`, [
      { path: 'fromSeq', message: `must be an integer from 0 to ${MAX_STREAM_POSITION}`, rule: 'range' },
    ]);
  }
  return {
    executionId,
    fromSeq,
    workspaceId: headerOf(req, 'x-workspace-id') ?? url.searchParams.get('workspaceId') ?? undefined,
  };
}
