/**
 * A claim check: a value too large to travel inline (see `Limits.inlineValueBytes`) is stored once
 * out of band, content-addressed by the SHA-256 of its JSON, and events, tasks and results carry
 * this small reference in its place. Expressions and templates never see it: the orchestrator and
 * the tool-runner resolve references before evaluating, and the gateway resolves them in the
 * execution it returns (up to a response budget, beyond which they stay references that
 * `GET /api/v1/executions/{id}/values/{sha256}` downloads).
 *
 * Only the execution's `input` and a node's whole `output` (and, for an oversized task, the whole
 * scope) are ever replaced by a reference, never a value nested inside them: finding every
 * reference of a scope is one look per node.
 */
export interface ValueRef {
  /** `flowstack:value:<sha256>`: marks the object as a reference. */
  ref: string;
  /** Bytes of the value's JSON (UTF-8). */
  size: number;
  /** Lowercase hex SHA-256 of the value's JSON; readers verify it. */
  sha256: string;
}

/** The `ref` prefix of every value reference. */
export const VALUE_REF_PREFIX = 'flowstack:value:';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Whether `sha256` is a lowercase hex SHA-256 (what references and the values endpoint accept). */
export const isSha256Hex = (sha256: unknown): sha256 is string => typeof sha256 === 'string' && SHA256_HEX.test(sha256);

/** The reference to a value whose JSON has this digest and size. */
export const valueRefOf = (sha256: string, size: number): ValueRef => ({ ref: `${VALUE_REF_PREFIX}${sha256}`, size, sha256 });

/**
 * Whether `value` is a value reference: an object of exactly `ref`, `size` and `sha256`, with a
 * `ref` that names its own digest. Cheap on anything else (a type check and at most a key count),
 * so it can run on every node output.
 */
export function isValueRef(value: unknown): value is ValueRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.ref !== 'string' || typeof v.sha256 !== 'string' || typeof v.size !== 'number') return false;
  return Object.keys(v).length === 3 && v.ref === `${VALUE_REF_PREFIX}${v.sha256}` && SHA256_HEX.test(v.sha256);
}

/**
 * The bytes a reference stands for, as budgets count them: its `size` when that is a non-negative
 * finite number, else 0. A reference-shaped object can come from anywhere (an expression can build
 * one), so a negative claim must never lower a running total.
 */
export const valueRefBytes = (ref: ValueRef): number => (Number.isFinite(ref.size) && ref.size > 0 ? ref.size : 0);
