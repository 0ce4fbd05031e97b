import { Limits } from '@flowstack/contracts';
import { assertJsonDepth, jsonDepthOf } from './json-depth';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');
const nested = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);

describe('jsonDepthOf', () => {
  it.each([
    ['a scalar', '42', 0],
    ['an empty object', '{}', 1],
    ['objects in arrays', '[{"a":[1,{"b":2}]},[]]', 4],
    ['siblings at the same depth', '[[],[],[[]]]', 3],
    ['brackets inside strings', '{"a":"[[[{{{"}', 1],
    ['escaped quotes inside strings', '{"a":"\\"[[[","b":[1]}', 2],
    ['an escaped backslash before a closing quote', '{"a":"\\\\","b":[[1]]}', 3],
    ['multi-byte UTF-8 text', '{"é€😀":["ü"]}', 2],
  ])('counts %s', (_what, json, depth) => {
    expect(jsonDepthOf(bytes(json))).toBe(depth);
  });

  it('stops counting past the limit without recursion', () => {
    expect(jsonDepthOf(bytes(nested(100_000)), 64)).toBe(65);
    expect(jsonDepthOf(bytes(nested(100_000)))).toBe(100_000);
  });
});

describe('assertJsonDepth', () => {
  it('accepts a body exactly at the limit', () => {
    expect(() => assertJsonDepth(bytes(nested(Limits.jsonDepth)))).not.toThrow();
  });

  it('refuses a deeper body with validation_failed naming the limit', () => {
    expect(() => assertJsonDepth(bytes(nested(10_000)))).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        message: expect.stringContaining(String(Limits.jsonDepth)),
        errors: [expect.objectContaining({ path: '(body)', rule: 'max_depth' })],
      }),
    );
  });
});
