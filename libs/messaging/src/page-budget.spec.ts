import { LIST_PAGE_BUDGET_BYTES, PageBudget } from './page-budget';
import { Limits } from '@flowstack/contracts';

describe('PageBudget', () => {
  it('admits items while the page stays within its budget, then closes the page', () => {
    const budget = new PageBudget(1_000);
    expect(budget.admit(300)).toBe(true);
    expect(budget.admit(300)).toBe(true);
    expect(budget.full).toBe(false);
    expect(budget.admit(300)).toBe(false);
    expect(budget.full).toBe(true);
    // A smaller item after a refused one is not taken out of order: the cursor would skip the big one.
    expect(budget.admit(1)).toBe(false);
  });

  it('always admits the first item, however large, so a client can page past it', () => {
    const budget = new PageBudget(1_000);
    expect(budget.admit(5_000)).toBe(true);
    expect(budget.admit(1)).toBe(false);
  });

  it('counts the envelope and the commas between items', () => {
    const budget = new PageBudget(256 + 10 + 1 + 10);
    expect(budget.admit(10)).toBe(true);
    expect(budget.admit(10)).toBe(true);
    const tight = new PageBudget(256 + 10 + 10);
    tight.admit(10);
    expect(tight.admit(10)).toBe(false);
  });

  it('keeps a full page well under what one bus message carries', () => {
    expect(LIST_PAGE_BUDGET_BYTES).toBeLessThanOrEqual(Limits.busMessageBytes * 0.8);
  });
});
