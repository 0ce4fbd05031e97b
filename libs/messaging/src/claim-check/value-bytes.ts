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
  { kind: 'inline' } | { kind: 'offload'; encoded: EncodedValue } | { kind: 'too_large'; size: number };

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
 * Whether a value stays inline, goes out of band, or is too large to keep at all. Serializes the
 * value only when `surelyFits` cannot decide (objects, long strings): the common small scalar costs
 * nothing. `inlineLimit` and `maxBytes` default to the platform limits.
 */
export function decideOffload(
  value: unknown,
  inlineLimit: number = Limits.inlineValueBytes,
  maxBytes: number = Limits.maxValueBytes,
): OffloadDecision {
  if (surelyFits(value, inlineLimit)) return { kind: 'inline' };
  const json = JSON.stringify(value);
  if (json === undefined || json.length <= inlineLimit / 3) return { kind: 'inline' };
  if (json.length > maxBytes) return { kind: 'too_large', size: Buffer.byteLength(json, 'utf8') };
  const bytes = Buffer.from(json, 'utf8');
  if (bytes.length <= inlineLimit) return { kind: 'inline' };
  if (bytes.length > maxBytes) return { kind: 'too_large', size: bytes.length };
  const sha256 = sha256Hex(bytes);
  return { kind: 'offload', encoded: { bytes, sha256, ref: valueRefOf(sha256, bytes.length) } };
}
