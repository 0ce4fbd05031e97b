import { Limits, type EvaluationScope, type NodeTask, type ValueRef } from '@flowstack/contracts';
import { encodeValue, type EncodedValue } from '@flowstack/messaging';

/** What a task carries of its scope: the scope itself, or only `execution` and a reference to the rest. */
export type TaskScope = Pick<NodeTask, 'scope' | 'scopeRef'>;

/**
 * The most of one bus message a task's scope may take; the rest is room for the node's config,
 * the task's envelope and headers (an event's worth).
 */
export const TASK_SCOPE_BUDGET_BYTES = Limits.busMessageBytes - Limits.maxEventBytes;

/**
 * JSON bytes of the objects and arrays measured so far. An execution's input and node outputs
 * are immutable once in its state, and every task of the execution carries them again, so each is
 * serialized once to be measured, not once per task (a 50-node line measured its whole scope,
 * then hashed it, for each of its last 38 tasks).
 */
const measured = new WeakMap<object, number>();

/** The UTF-8 bytes of the value's JSON (`undefined` counted as `null`); objects measured once. */
export function jsonBytesOf(value: unknown): number {
  if (typeof value === 'object' && value !== null) {
    let size = measured.get(value);
    if (size === undefined) {
      size = Buffer.byteLength(JSON.stringify(value), 'utf8');
      measured.set(value, size);
    }
    return size;
  }
  return Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');
}

/**
 * At least the bytes of the scope's JSON: the sum of its values' sizes and of the punctuation
 * and keys around them (`{"input":…,"nodes":{"<id>":{"output":…},…},"execution":…}`).
 */
export function scopeBytesBound(scope: EvaluationScope): number {
  let bytes = '{"input":,"nodes":{},"execution":}'.length + jsonBytesOf(scope.input) + jsonBytesOf(scope.execution);
  for (const [id, node] of Object.entries(scope.nodes)) {
    bytes += Buffer.byteLength(JSON.stringify(id), 'utf8') + ':{"output":},'.length + jsonBytesOf(node.output);
  }
  return bytes;
}

/**
 * Makes a task's scope fit in one bus message. Every value in a scope is at most
 * `Limits.inlineValueBytes` (larger ones are references already), so a scope of few enough values
 * fits without being measured: the common case serializes nothing. A larger one is measured from
 * its values' sizes (each value once per process), and only if that is over budget is the whole
 * scope encoded; if it is over budget still it is stored as one value (`put`) and the task carries
 * only `execution` and `scopeRef`.
 */
export async function fitTaskScope(
  scope: EvaluationScope,
  put: (encoded: EncodedValue, value: EvaluationScope) => Promise<ValueRef>,
  budget: number = TASK_SCOPE_BUDGET_BYTES,
): Promise<TaskScope> {
  const values = 1 + Object.keys(scope.nodes).length;
  if (values * Limits.inlineValueBytes <= budget) return { scope };
  if (scopeBytesBound(scope) <= budget) return { scope };
  const encoded = encodeValue(scope);
  if (encoded.bytes.length <= budget) return { scope };
  const scopeRef = await put(encoded, scope);
  return { scope: { input: null, nodes: {}, execution: scope.execution }, scopeRef };
}
