import { FlowstackError } from '@flowstack/contracts';
import { isUuid } from './workspace-scope';

/** The last row of a page: lists are ordered by (createdAt, id) descending, so this is where to resume. */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `[createdAt ISO, id]`. */
export const encodeCursor = (position: ListPosition): string =>
  Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');

/** Throws `FlowstackError('validation_failed')` on the `cursor` path for anything this service did not issue. */
export function decodeCursor(cursor: string): ListPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      const createdAt = new Date(value[0]);
      if (!Number.isNaN(createdAt.getTime()) && isUuid(value[1])) return { createdAt, id: value[1] };
    }
  } catch {
    /* reported below */
  }
  throw new FlowstackError('validation_failed', 'request is invalid', [
    { path: 'cursor', message: 'not a cursor from a previous page', rule: 'invalid_cursor' },
  ]);
}
