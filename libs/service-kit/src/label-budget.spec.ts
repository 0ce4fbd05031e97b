import { LabelBudget, OTHER_LABEL } from './label-budget';

describe('LabelBudget', () => {
  it('keeps the first max distinct values and reports every later one as other', () => {
    const budget = new LabelBudget(2);
    expect(budget.of('a')).toBe('a');
    expect(budget.of('b')).toBe('b');
    expect(budget.of('c')).toBe(OTHER_LABEL);
    expect(budget.of('a')).toBe('a');
    expect(budget.of('d')).toBe(OTHER_LABEL);
  });
});
