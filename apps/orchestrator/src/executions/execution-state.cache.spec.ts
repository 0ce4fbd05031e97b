import { initialState } from '../domain';
import { ExecutionStateCache } from './execution-state.cache';

describe('ExecutionStateCache', () => {
  const state = initialState();

  it('keeps the later of two states set out of order', () => {
    const cache = new ExecutionStateCache(10);
    cache.set('execution-a', state, 5);
    // A decision that committed earlier but finished later must not roll the entry back.
    cache.set('execution-a', state, 3);
    expect(cache.get('execution-a')?.position).toBe(5);
    cache.set('execution-a', state, 7);
    expect(cache.get('execution-a')?.position).toBe(7);
  });

  it('drops the least recently used entry past its capacity', () => {
    const cache = new ExecutionStateCache(2);
    cache.set('execution-a', state, 1);
    cache.set('execution-b', state, 1);
    cache.get('execution-a');
    cache.set('execution-c', state, 1);
    expect(cache.get('execution-b')).toBeUndefined();
    expect(cache.get('execution-a')).toBeDefined();
  });
});
