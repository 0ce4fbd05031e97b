import { toPlainJson } from './json.normalizer';

const sequence = (...items: unknown[]): unknown[] => Object.assign(items, { sequence: true });

describe('toPlainJson', () => {
  it('passes scalars, null and undefined through', () => {
    for (const value of [1, 'a', true, null, undefined]) expect(toPlainJson(value)).toBe(value);
  });

  it('copies sequence arrays into plain arrays, deeply', () => {
    const result = toPlainJson({ list: sequence(1, sequence(2, 3)) }) as { list: unknown[] };
    expect(Object.getOwnPropertyNames(result.list)).toEqual(['0', '1', 'length']);
    expect(Object.getOwnPropertyNames(result.list[1])).toEqual(['0', '1', 'length']);
    expect(result).toEqual({ list: [1, [2, 3]] });
  });

  it('turns null-prototype objects into plain ones, keeping a __proto__ key as data', () => {
    const object = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    Object.defineProperty(object, '__proto__', { value: { polluted: true }, enumerable: true });
    const result = toPlainJson(object) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['a', '__proto__']);
    expect((result as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('drops functions from objects and nulls them in arrays, like JSON', () => {
    const lambda = { _jsonata_lambda: true, body: {} };
    expect(toPlainJson({ a: 1, f: lambda, g: () => 1 })).toStrictEqual({ a: 1 });
    expect(toPlainJson([1, lambda, undefined])).toStrictEqual([1, null, null]);
    expect(toPlainJson(lambda)).toBeUndefined();
  });

  it('returns already-plain data as is, without copying', () => {
    const data = { a: [1, { b: 'c' }], d: { e: null } };
    expect(toPlainJson(data)).toBe(data);
  });
});
