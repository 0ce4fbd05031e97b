import { isValueRef, type EvaluationScope, type ValueRef } from '@flowstack/contracts';

/** Anything that turns a reference into its value (a `ValueStore`, scoped to one workspace by the caller). */
export type ResolveRef = (ref: ValueRef) => Promise<unknown>;

/**
 * Whether the scope holds a reference where one can be: the input or a node's whole output. One
 * look per node, no walk into values: only those places are ever replaced by references.
 */
export function scopeHasRefs(scope: EvaluationScope): boolean {
  if (isValueRef(scope.input)) return true;
  for (const id in scope.nodes) if (isValueRef(scope.nodes[id].output)) return true;
  return false;
}

/**
 * The scope with every reference (input, node outputs) replaced by its value. Returns the same
 * object when there is none (the common case: nothing is copied). Rejects with the resolver's
 * error (a missing value, NATS away) for the caller to turn into a node failure.
 */
export async function resolveScope(scope: EvaluationScope, resolve: ResolveRef): Promise<EvaluationScope> {
  if (!scopeHasRefs(scope)) return scope;
  const nodes: EvaluationScope['nodes'] = {};
  const pending: Promise<void>[] = [];
  for (const id in scope.nodes) {
    const output = scope.nodes[id].output;
    if (isValueRef(output)) {
      pending.push(
        resolve(output).then((value) => {
          nodes[id] = { output: value };
        }),
      );
    } else nodes[id] = scope.nodes[id];
  }
  let input = scope.input;
  if (isValueRef(scope.input)) {
    pending.push(
      resolve(scope.input).then((value) => {
        input = value;
      }),
    );
  }
  // One Promise.all: a second rejection is handled too (no unhandled rejection to crash on).
  await Promise.all(pending);
  // Node order stays the graph's (keys were inserted in it before the awaits filled them).
  const ordered: EvaluationScope['nodes'] = {};
  for (const id in scope.nodes) ordered[id] = nodes[id];
  return { ...scope, input, nodes: ordered };
}
