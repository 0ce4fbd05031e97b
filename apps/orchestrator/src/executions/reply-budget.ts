import { Limits, isValueRef, type ExecutionView, type StoredEventView, type ValueRef } from '@flowstack/contracts';
import { encodeValue, type EncodedValue } from '@flowstack/messaging';

/**
 * The most of one bus message a reply's content may take (events of a page, an execution's view);
 * the rest is room for the reply's envelope and headers.
 */
export const REPLY_BUDGET_BYTES = Limits.busMessageBytes - Limits.maxEventBytes;

/** Stores one value out of band and answers its reference. */
export type PutValue = (encoded: EncodedValue, value: unknown) => Promise<ValueRef>;

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');

/**
 * The longest prefix of `events` whose JSON fits in `budget` bytes, at least one event (every event
 * is at most `Limits.maxEventBytes` since the event store checks it at append). An event stored
 * before that check that alone is over budget gets its `data` replaced by a reference, stored out
 * of band: the page then still fits on the bus, and the data stays downloadable.
 */
export async function pageWithinBudget(
  events: StoredEventView[],
  put: PutValue,
  budget: number = REPLY_BUDGET_BYTES,
): Promise<{ items: StoredEventView[]; cut: boolean }> {
  const items: StoredEventView[] = [];
  let used = 0;
  for (const event of events) {
    let item = event;
    let size = jsonBytes(item);
    if (size > budget) {
      const encoded = encodeValue(event.data);
      item = { ...event, data: await put(encoded, event.data) };
      size = jsonBytes(item);
    }
    if (items.length > 0 && used + size > budget) return { items, cut: true };
    items.push(item);
    used += size;
  }
  return { items, cut: false };
}

/**
 * The view as is when its JSON fits in `budget` bytes (measured once); else with its largest
 * values (input, output, node outputs) replaced by references, largest first, until it fits. The
 * gateway resolves them again for its client, reading the store directly.
 */
export async function viewWithinBudget(
  view: ExecutionView,
  put: PutValue,
  budget: number = REPLY_BUDGET_BYTES,
): Promise<ExecutionView> {
  let total = jsonBytes(view);
  if (total <= budget) return view;
  const out: ExecutionView = { ...view, nodes: { ...view.nodes } };
  type Slot = { size: number; value: unknown; set: (ref: ValueRef) => void };
  const slots: Slot[] = [];
  const consider = (value: unknown, set: (ref: ValueRef) => void): void => {
    if (value !== undefined && value !== null && !isValueRef(value)) slots.push({ size: jsonBytes(value), value, set });
  };
  consider(view.input, (ref) => (out.input = ref));
  consider(view.output, (ref) => (out.output = ref));
  for (const [id, node] of Object.entries(view.nodes)) consider(node.output, (ref) => (out.nodes[id] = { ...node, output: ref }));
  slots.sort((a, b) => b.size - a.size);
  for (const slot of slots) {
    if (total <= budget) break;
    const encoded = encodeValue(slot.value);
    const ref = await put(encoded, slot.value);
    slot.set(ref);
    total -= slot.size - jsonBytes(ref);
  }
  return out;
}
