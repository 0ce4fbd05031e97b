import { isValueRef, valueRefOf, type ExecutionView, type StoredEventView } from '@flowstack/contracts';
import { pageWithinBudget, viewWithinBudget, type PutValue } from './reply-budget';

const event = (seq: number, size: number): StoredEventView => ({
  seq,
  type: 'NodeCompleted',
  data: { output: 'x'.repeat(size) },
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('replies within the bus budget', () => {
  const stored: unknown[] = [];
  const put: PutValue = (encoded, value) => {
    stored.push(value);
    return Promise.resolve(valueRefOf(encoded.sha256, encoded.bytes.length));
  };
  beforeEach(() => (stored.length = 0));

  it('keeps a page whole when it fits', async () => {
    const events = [event(1, 10), event(2, 10)];
    expect(await pageWithinBudget(events, put, 10_000)).toEqual({ items: events, cut: false });
  });

  it('cuts a page before the event that would not fit, keeping at least one', async () => {
    const events = [event(1, 4_000), event(2, 4_000), event(3, 4_000)];
    const page = await pageWithinBudget(events, put, 9_000);
    expect(page.items.map((e) => e.seq)).toEqual([1, 2]);
    expect(page.cut).toBe(true);
  });

  it('replaces the data of a single event over budget (stored before the size check) by a reference', async () => {
    const page = await pageWithinBudget([event(1, 20_000)], put, 9_000);
    expect(page.items).toHaveLength(1);
    expect(isValueRef(page.items[0].data)).toBe(true);
    expect(stored).toEqual([{ output: 'x'.repeat(20_000) }]);
  });

  it('shrinks a view over budget by referencing its largest values first', async () => {
    const view: ExecutionView = {
      id: 'e',
      workflowId: 'w',
      workflowVersion: 1,
      status: 'completed',
      input: 'i'.repeat(100),
      output: 'o'.repeat(3_000),
      nodes: {
        a: { status: 'succeeded', attempts: 1, output: 'a'.repeat(5_000) },
        b: { status: 'succeeded', attempts: 1, output: 'b'.repeat(2_000) },
      },
      totalCost: 0,
      startedAt: '2026-01-01T00:00:00.000Z',
    };
    expect(await viewWithinBudget(view, put, 20_000)).toBe(view);
    const shrunk = await viewWithinBudget(view, put, 6_000);
    expect(isValueRef(shrunk.nodes.a.output)).toBe(true);
    expect(isValueRef(shrunk.output)).toBe(false);
    expect(shrunk.input).toBe(view.input);
    expect(JSON.stringify(shrunk).length).toBeLessThanOrEqual(6_000);
    expect(isValueRef(view.nodes.a.output)).toBe(false); // the original is untouched
  });
});
