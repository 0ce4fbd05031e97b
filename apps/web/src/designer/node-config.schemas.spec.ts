import en from '../i18n/en.json';
import ko from '../i18n/ko.json';
import { configSchemaOf, titleKeysOf } from './config-schema';
import { NODE_KINDS } from './node-kinds';

type Catalogue = Record<string, unknown>;
const has = (catalogue: Catalogue, path: string[]): boolean =>
  typeof path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Catalogue)[key] : undefined), catalogue) ===
  'string';

// That the committed schemas are what libs/contracts generates is checked there (node-configs.spec.ts).
describe('node config JSON Schemas in the web app', () => {
  it('exist for every node type the palette offers', () => {
    for (const kind of NODE_KINDS) expect(configSchemaOf(kind)).toMatchObject({ $schema: expect.any(String) });
  });

  it.each([
    ['en', en],
    ['ko', ko],
  ])('have a %s title for every field and a name for every alternative of every form', (_lang, catalogue) => {
    const missing = NODE_KINDS.flatMap((kind) =>
      titleKeysOf(kind).filter((key) =>
        key.startsWith('option:')
          ? !has(catalogue, ['nodeConfig', 'option', key.slice('option:'.length)])
          : !has(catalogue, ['nodeConfig', kind, key]) && !has(catalogue, ['nodeConfig', 'field', key]),
      ),
    );
    expect(missing).toEqual([]);
    expect(titleKeysOf('tool')).toEqual(expect.arrayContaining(['tool/url', 'option:http', 'option:toolId']));
  });
});
