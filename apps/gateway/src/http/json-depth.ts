import { FlowstackError, Limits } from '@flowstack/contracts';

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * How deep the objects and arrays of a JSON text nest, read from its bytes in one pass without
 * parsing or recursion (so a 10,000-level body costs a loop, not a stack). Brackets inside strings
 * do not count; UTF-8 continuation bytes never equal an ASCII bracket or quote, so bytes are safe
 * to scan. Stops early, returning `max + 1`, as soon as the text goes past `max`.
 */
export function jsonDepthOf(text: Uint8Array, max = Number.MAX_SAFE_INTEGER): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Refuses a JSON body nested deeper than `max` levels (default `Limits.jsonDepth`) with a 400
 * `validation_failed` naming the limit, before it is parsed: every later step (validation, the
 * RPC encoding, Postgres `jsonb`, folds) recurses and would fail on it with a 500. Not retryable.
 */
export function assertJsonDepth(text: Uint8Array, max: number = Limits.jsonDepth): void {
  if (jsonDepthOf(text, max) <= max) return;
  throw new FlowstackError('validation_failed', `request body nests deeper than ${max} levels of objects and arrays`, [
    { path: '(body)', message: `nested deeper than the limit of ${max} levels`, rule: 'max_depth' },
  ]);
}
