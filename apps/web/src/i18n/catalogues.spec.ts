import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from './en.json';
import ko from './ko.json';

const keysOf = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(e) && !e.endsWith('.spec.ts') ? [p] : [];
  });
}

describe('string catalogues', () => {
  it('English and Korean have exactly the same keys', () => {
    expect(keysOf(ko).sort()).toEqual(keysOf(en).sort());
  });

  it('every key the app asks for exists, and every prefix it builds keys from', () => {
    const all = new Set(keysOf(en));
    const text = sources(join(__dirname, '..'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const literal = [...text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)].map((m) => m[1]!);
    const prefixes = [...text.matchAll(/\bt\(`([a-zA-Z0-9_.]+)\.\$\{/g)].map((m) => m[1]!);
    expect(literal.length).toBeGreaterThan(40);
    expect(literal.filter((k) => !all.has(k))).toEqual([]);
    expect(prefixes.filter((p) => ![...all].some((k) => k.startsWith(`${p}.`)))).toEqual([]);
  });

  it('no catalogue value is left empty except the deliberately blank hints', () => {
    const empty = (o: object) => keysOf(o).filter((k) => k.split('.').reduce<any>((v, p) => v[p], o) === '');
    expect(empty(ko)).toEqual(empty(en));
  });
});
