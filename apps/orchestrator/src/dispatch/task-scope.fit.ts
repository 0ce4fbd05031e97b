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
 * Makes a task's scope fit in one bus message. Every value in a scope is at most
 * `Limits.inlineValueBytes` (larger ones are references already), so a scope of few enough values
 * fits without being measured: the common case serializes nothing. A larger one is measured once,
 * and if it is over budget the whole scope is stored as one value (`put`) and the task carries
 * only `execution` and `scopeRef`.
 */
export async function fitTaskScope(
  scope: EvaluationScope,
  put: (encoded: EncodedValue, value: EvaluationScope) => Promise<ValueRef>,
  budget: number = TASK_SCOPE_BUDGET_BYTES,
): Promise<TaskScope> {
  const values = 1 + Object.keys(scope.nodes).length;
  if (values * Limits.inlineValueBytes <= budget) return { scope };
  const encoded = encodeValue(scope);
  if (encoded.bytes.length <= budget) return { scope };
  const scopeRef = await put(encoded, scope);
  return { scope: { input: null, nodes: {}, execution: scope.execution }, scopeRef };
}
