import { isSha256Hex, isValueRef, valueRefOf, VALUE_REF_PREFIX } from './value-ref';

const sha = 'a'.repeat(64);

describe('value references', () => {
  it('builds a reference whose ref names its digest', () => {
    expect(valueRefOf(sha, 70_000)).toEqual({ ref: `${VALUE_REF_PREFIX}${sha}`, size: 70_000, sha256: sha });
  });

  it('recognizes a reference', () => {
    expect(isValueRef(valueRefOf(sha, 1))).toBe(true);
    expect(isValueRef(JSON.parse(JSON.stringify(valueRefOf(sha, 1))))).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', `${VALUE_REF_PREFIX}${sha}`],
    ['an array', [valueRefOf(sha, 1)]],
    ['a ref naming another digest', { ref: `${VALUE_REF_PREFIX}${'b'.repeat(64)}`, size: 1, sha256: sha }],
    ['an extra key', { ...valueRefOf(sha, 1), more: true }],
    ['a missing size', { ref: `${VALUE_REF_PREFIX}${sha}`, sha256: sha }],
    ['an uppercase digest', valueRefOf(sha.toUpperCase(), 1)],
    ['a short digest', valueRefOf('abc', 1)],
    ['a user object with a ref field', { ref: 'main', size: 3, sha256: 'nope' }],
  ])('does not take %s for a reference', (_what, value) => {
    expect(isValueRef(value)).toBe(false);
  });

  it('checks digests as lowercase hex of 64', () => {
    expect(isSha256Hex(sha)).toBe(true);
    expect(isSha256Hex('g'.repeat(64))).toBe(false);
    expect(isSha256Hex('../x')).toBe(false);
    expect(isSha256Hex(undefined)).toBe(false);
  });
});
