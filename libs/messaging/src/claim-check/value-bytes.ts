import { createHash } from 'node:crypto';
import { Limits, valueRefOf, type ValueRef } from '@flowstack/contracts';

/** A value as the claim-check store keeps it: its JSON bytes, their digest and its reference. */
export interface EncodedValue {
  bytes: Uint8Array;
  sha256: string;
  ref: ValueRef;
}

/** What to do with a value before it goes into an event, a task or a result. */
export type OffloadDecision =
  { kind: 'inline'; size: number } | { kind: 'offload'; encoded: EncodedValue } | { kind: 'too_large'; size: number };

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The value's JSON as bytes, digested (`undefined` is stored as `null`, as JSON does). */
export function encodeValue(value: unknown): EncodedValue {
  const bytes = Buffer.from(JSON.stringify(value ?? null), 'utf8');
  const sha256 = sha256Hex(bytes);
  return { bytes, sha256, ref: valueRefOf(sha256, bytes.length) };
}

/**
 * True when the value's JSON is certainly no larger than `limit` bytes, decided without
 * serializing it: scalars always, strings by their length (a UTF-16 unit is at most 3 UTF-8 bytes,
 * 6 once JSON-escaped). Objects and long strings answer false: they need a real measure.
 */
export function surelyFits(value: unknown, limit: number): boolean {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'number':
    case 'bigint':
      return true;
    case 'string':
      return value.length * 6 + 2 <= limit;
    case 'object':
      return value === null;
    default:
      return true;
  }
}

/**
 * Bytes of the JSON of a value `surelyFits` kept inline (a scalar or a short string), as stored
 * (`undefined` and non-finite numbers as `null`). Exact, and cheap: no object is serialized.
 */
export function scalarJsonBytes(value: unknown): number {
  switch (typeof value) {
    case 'boolean':
      return value ? 4 : 5;
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'string':
      return Buffer.byteLength(JSON.stringify(value), 'utf8');
    default:
      return 4;
  }
}

/**
 * Whether a value stays inline, goes out of band, or is too large to keep at all, with its size
 * (UTF-8 bytes of its JSON, what per-execution budgets count). Serializes the value only when
 * `surelyFits` cannot decide (objects, long strings), and then only once: the common small scalar
 * costs no serialization of anything but itself. `inlineLimit` and `maxBytes` default to the
 * platform limits.
 */
export function decideOffload(
  value: unknown,
  inlineLimit: number = Limits.inlineValueBytes,
  maxBytes: number = Limits.maxValueBytes,
): OffloadDecision {
  if (surelyFits(value, inlineLimit)) return { kind: 'inline', size: scalarJsonBytes(value) };
  const json = JSON.stringify(value);
  if (json === undefined) return { kind: 'inline', size: 4 };
  if (json.length <= inlineLimit / 3) return { kind: 'inline', size: Buffer.byteLength(json, 'utf8') };
  if (json.length > maxBytes) return { kind: 'too_large', size: Buffer.byteLength(json, 'utf8') };
  const bytes = Buffer.from(json, 'utf8');
  if (bytes.length <= inlineLimit) return { kind: 'inline', size: bytes.length };
  if (bytes.length > maxBytes) return { kind: 'too_large', size: bytes.length };
  const sha256 = sha256Hex(bytes);
  return { kind: 'offload', encoded: { bytes, sha256, ref: valueRefOf(sha256, bytes.length) } };
}
