import { Inject, Injectable } from '@nestjs/common';
import { Limits, isValueRef, type ExecutionView, type ValueRef } from '@flowstack/contracts';
import { ValueStore } from '@flowstack/messaging';

/**
 * Bytes of out-of-band values one execution response carries resolved (by their JSON); past it
 * they stay references, downloadable one by one from `/executions/{id}/values/{sha256}`.
 */
export const RESPONSE_VALUES_BUDGET_BYTES = Limits.maxValueBytes;

/**
 * Resolves the claim checks of an execution view for the HTTP client, reading the object store
 * directly (the view came over the bus with references; the values would not fit in one message).
 * Resolves the output first, then the input, then node outputs in graph order, while their sizes
 * fit in the budget. A value that cannot be read stays a reference (the client can retry its
 * download); a view with no reference is returned as it is.
 */
@Injectable()
export class ExecutionValuesResolver {
  constructor(@Inject(ValueStore) private readonly store: ValueStore) {}

  async resolveView(view: ExecutionView, workspaceId: string, budget = RESPONSE_VALUES_BUDGET_BYTES): Promise<ExecutionView> {
    const slots: Array<{ ref: ValueRef; set: (value: unknown) => void }> = [];
    const out: ExecutionView = { ...view };
    if (isValueRef(view.output)) slots.push({ ref: view.output, set: (v) => (out.output = v) });
    if (isValueRef(view.input)) slots.push({ ref: view.input, set: (v) => (out.input = v) });
    for (const [id, node] of Object.entries(view.nodes)) {
      if (!isValueRef(node.output)) continue;
      if (out.nodes === view.nodes) out.nodes = { ...view.nodes };
      slots.push({ ref: node.output, set: (v) => (out.nodes[id] = { ...node, output: v }) });
    }
    if (slots.length === 0) return view;
    let left = budget;
    const reads: Promise<void>[] = [];
    for (const slot of slots) {
      if (slot.ref.size > left) continue;
      left -= slot.ref.size;
      reads.push(
        this.store.resolve(workspaceId, slot.ref).then(
          (value) => slot.set(value),
          () => undefined,
        ),
      );
    }
    await Promise.all(reads);
    return out;
  }

  /** The JSON bytes of one value of this workspace, or undefined (unknown, or another workspace's). */
  bytesOf(workspaceId: string, sha256: string): Promise<Uint8Array | undefined> {
    return this.store.bytesOf(workspaceId, sha256);
  }
}
