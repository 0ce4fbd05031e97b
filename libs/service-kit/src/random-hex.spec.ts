import { randomHex } from './random-hex';

describe('pooled random hex ids', () => {
  it('gives ids of the asked length, lowercase hex', () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(randomHex(5000)).toMatch(/^[0-9a-f]{10000}$/);
  });

  it('never hands out the same id twice, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomHex(16));
    expect(seen.size).toBe(20_000);
  });

  it('uses every byte of a refill once (no id overlaps the next)', () => {
    // 4096 / 24 leaves a remainder: the id that does not fit comes whole from the next refill.
    const ids = Array.from({ length: 400 }, () => randomHex(24));
    expect(ids.every((id) => id.length === 48)).toBe(true);
    const halves = new Set(ids.flatMap((id) => [id.slice(0, 24), id.slice(24)]));
    expect(halves.size).toBe(800);
  });
});
