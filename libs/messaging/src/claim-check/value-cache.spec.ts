import { ValueCache } from './value-cache';

describe('ValueCache', () => {
  it('evicts the least recently used entries once over its byte budget', () => {
    const cache = new ValueCache(100);
    cache.set('a', 'A', 40);
    cache.set('b', 'B', 40);
    expect(cache.get('a')?.value).toBe('A'); // a is now the most recent
    cache.set('c', 'C', 40);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.value).toBe('A');
    expect(cache.get('c')?.value).toBe('C');
    expect(cache.size).toBe(80);
  });

  it('never caches a value larger than the whole budget, and replaces a key in place', () => {
    const cache = new ValueCache(100);
    cache.set('big', 'x', 101);
    expect(cache.get('big')).toBeUndefined();
    cache.set('k', 1, 30);
    cache.set('k', 2, 50);
    expect(cache.get('k')?.value).toBe(2);
    expect(cache.size).toBe(50);
  });
});
