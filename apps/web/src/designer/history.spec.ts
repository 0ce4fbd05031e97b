import { commit, historyOf, redo, undo } from './history';

describe('history', () => {
  it('undoes and redoes in order, and a new commit drops the redo list', () => {
    let h = commit(commit(historyOf('a'), 'b'), 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = commit(h, 'd');
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(undo(h).present).toBe('b');
  });

  it('records nothing for the same state', () => {
    const h = historyOf({});
    expect(commit(h, h.present)).toBe(h);
  });
});
