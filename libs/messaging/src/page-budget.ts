import { Limits } from '@flowstack/contracts';

/**
 * Bytes of items one list page may carry. A page is one NATS reply, so it must stay under the bus
 * limit (`Limits.busMessageBytes`) with room for the envelope and headers. The HTTP body limit is
 * the same budget: any single item saved through one request body fits a page on its own, and a
 * full page still leaves a quarter of the message free.
 */
export const LIST_PAGE_BUDGET_BYTES = Limits.requestBodyBytes;

/** Room for `{"data":{"items":[],"nextCursor":"<cursor>"}}` around the items. */
const ENVELOPE_BYTES = 256;

/**
 * Decides how many items of a list page (one RPC reply) fit in its byte budget, item by item in page order. The
 * first item is always admitted (otherwise a client could never get past a large one); after it,
 * an item is admitted only while the page stays within the budget. Once one is refused, the page
 * is closed: a later, smaller item is not taken out of order, or the cursor would skip the refused
 * one.
 */
export class PageBudget {
  private used = ENVELOPE_BYTES;
  private count = 0;
  private closed = false;

  constructor(readonly budgetBytes: number = LIST_PAGE_BUDGET_BYTES) {}

  /** Whether the next item, whose JSON is `bytes` long, goes on this page. */
  admit(bytes: number): boolean {
    if (this.closed) return false;
    const next = this.used + bytes + (this.count > 0 ? 1 : 0); // the comma between items
    if (this.count > 0 && next > this.budgetBytes) {
      this.closed = true;
      return false;
    }
    this.used = next;
    this.count++;
    return true;
  }

  /** True once an item was refused: the page ends here and the client gets a cursor for the rest. */
  get full(): boolean {
    return this.closed;
  }
}
