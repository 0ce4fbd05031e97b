/**
 * The execution's value budget: a bound on the bytes of all the outputs its nodes produce (inline
 * or stored out of band), so one execution cannot make the platform hold unbounded data in
 * memory, in Postgres or in the object store. The running total is folded from the recorded
 * `NodeCompleted` events, so a replay, or another replica, reaches the same decision.
 */
import { isValueRef, valueRefBytes, type NodeCompleted, type NodeError } from '@flowstack/contracts';

/** The node error code of a completion refused by the value budget. */
export const VALUE_BUDGET_EXCEEDED = 'execution_memory_budget_exceeded';

/**
 * Bytes a recorded completion counts: its `outputBytes`, else (events recorded before that field)
 * the reference's size, else the measured JSON of the output. Deterministic for a given event.
 */
export function recordedOutputBytes(data: NodeCompleted['data']): number {
  if (data.outputBytes !== undefined) return data.outputBytes;
  if (isValueRef(data.output)) return valueRefBytes(data.output);
  return Buffer.byteLength(JSON.stringify(data.output ?? null) ?? 'null', 'utf8');
}

/**
 * The node error when an output of `outputBytes` would take an execution that has recorded
 * `usedBytes` past `budgetBytes`; undefined when it fits (reaching the budget exactly fits). Not
 * retryable: the same node on the same inputs produces the same output.
 */
export function valueBudgetError(
  nodeId: string,
  usedBytes: number,
  outputBytes: number,
  budgetBytes: number,
): NodeError | undefined {
  const totalBytes = usedBytes + outputBytes;
  if (totalBytes <= budgetBytes) return undefined;
  return {
    code: VALUE_BUDGET_EXCEEDED,
    message:
      `node '${nodeId}' produced ${outputBytes} bytes, which would take the execution's node outputs to ` +
      `${totalBytes} bytes, past its value budget of ${budgetBytes} bytes (EXECUTION_VALUE_BUDGET_BYTES)`,
    retryable: false,
    details: { budgetBytes, usedBytes, outputBytes },
  };
}
