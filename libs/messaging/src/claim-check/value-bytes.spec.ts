import { createHash } from 'node:crypto';
import { Limits, isValueRef } from '@flowstack/contracts';
import { decideOffload, encodeValue, surelyFits } from './value-bytes';

describe('offload decisions', () => {
  it('keeps scalars and short strings inline without measuring them', () => {
    for (const v of [undefined, null, true, 42, 'short']) expect(surelyFits(v, Limits.inlineValueBytes)).toBe(true);
    expect(decideOffload(42)).toEqual({ kind: 'inline', size: 2 });
    expect(decideOffload({ a: 1 })).toEqual({ kind: 'inline', size: 7 });
  });

  it('gives the UTF-8 bytes of the JSON of every inline value (what an execution value budget counts)', () => {
    const values = [undefined, null, true, false, 0, -1.5e-7, NaN, '', 'é"\\\n', 'x'.repeat(20_000), { a: ['é', 1] }, [null]];
    for (const v of values) {
      const decision = decideOffload(v);
      expect(decision.kind).toBe('inline');
      expect(decision).toEqual({ kind: 'inline', size: Buffer.byteLength(JSON.stringify(v ?? null), 'utf8') });
    }
  });

  it('keeps a value of exactly the inline limit inline, and offloads one byte more', () => {
    // JSON of a string is its text plus two quotes.
    const at = 'x'.repeat(Limits.inlineValueBytes - 2);
    expect(decideOffload(at).kind).toBe('inline');
    const over = decideOffload(`${at}x`);
    expect(over.kind).toBe('offload');
    if (over.kind !== 'offload') return;
    expect(over.encoded.bytes.length).toBe(Limits.inlineValueBytes + 1);
    expect(isValueRef(over.encoded.ref)).toBe(true);
    expect(over.encoded.ref.size).toBe(Limits.inlineValueBytes + 1);
    expect(over.encoded.sha256).toBe(
      createHash('sha256')
        .update(JSON.stringify(`${at}x`))
        .digest('hex'),
    );
  });

  it('counts UTF-8 bytes, not characters', () => {
    // Half the limit in characters, but two bytes each: over the limit.
    const accented = { text: 'é'.repeat(Limits.inlineValueBytes / 2 + 10) };
    expect(decideOffload(accented).kind).toBe('offload');
  });

  it('refuses a value above maxValueBytes, with its size', () => {
    const decision = decideOffload('x'.repeat(Limits.maxValueBytes));
    expect(decision).toEqual({ kind: 'too_large', size: Limits.maxValueBytes + 2 });
  });

  it('digests the same value the same way (content addressing)', () => {
    expect(encodeValue({ a: [1, 2] }).sha256).toBe(encodeValue({ a: [1, 2] }).sha256);
    expect(encodeValue(undefined).bytes.toString()).toBe('null');
  });
});
