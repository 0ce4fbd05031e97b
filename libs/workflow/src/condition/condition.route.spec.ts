import { conditionRoute } from './condition.route';

describe('conditionRoute', () => {
  it.each<[unknown, string]>([
    [true, 'true'],
    [false, 'false'],
    [3, '3'],
    [2.5, '2.5'],
    [-1, '-1'],
    [0, '0'],
    ['gold', 'gold'],
    ['', ''],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 'b'], '[1,"b"]'],
  ])('%p routes on %j', (value, label) => {
    expect(conditionRoute(value)).toBe(label);
  });
});
