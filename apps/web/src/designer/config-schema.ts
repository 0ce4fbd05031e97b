/**
 * The JSON Schemas of node configs (generated from libs/contracts' NODE_CONFIG_SCHEMAS, which the
 * registry validates with) and the form schema the designer draws from each: the same schema with
 * titles, descriptions, option names and enum labels from the string catalogues. Field keys are
 * the field's path in the config joined with `/` (`tool/url`): `nodeConfig.<type>.<key>` when a
 * type words it its own way, else `nodeConfig.field.<key>`.
 */
import type { RJSFSchema } from '@rjsf/utils';
import type { NodeKind } from './node-kinds';
import schemas from './node-config.schemas.json';

type Schema = Record<string, unknown>;
type Translate = (key: string | string[]) => string;
type Exists = (key: string) => boolean;

/** The JSON Schema a node type's config must satisfy (what the server's validation says about its shape). */
export const configSchemaOf = (kind: NodeKind): RJSFSchema => (schemas as unknown as Record<NodeKind, RJSFSchema>)[kind];

/** Enums whose values are words to translate (the others, such as HTTP methods, are shown as they are). */
const ENUM_LABELS: Record<string, string> = { approverRole: 'role', onTimeout: 'gate' };

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** How an alternative (`oneOf`/`anyOf` branch) is named: its `kind`, else the first field it requires. */
export function optionName(branch: Schema): string | undefined {
  const kind = isSchema(branch.properties) && isSchema(branch.properties.kind) ? branch.properties.kind.const : undefined;
  if (typeof kind === 'string') return kind;
  const required = Array.isArray(branch.required) ? branch.required : [];
  return typeof required[0] === 'string' ? required[0] : undefined;
}

/** An alternative that only says which fields are required (a refinement across fields): not something to pick in a form. */
const onlyRequires = (branch: unknown): boolean => isSchema(branch) && Object.keys(branch).every((k) => k === 'required');

/** Every catalogue key the form of `kind` looks up for field titles and option names (for the catalogue spec). */
export function titleKeysOf(kind: NodeKind): string[] {
  const keys: string[] = [];
  walk(configSchemaOf(kind), [], {
    field: (path) => keys.push(path),
    option: (name) => keys.push(`option:${name}`),
  });
  return [...new Set(keys)];
}

function walk(schema: Schema, path: string[], visit: { field: (path: string) => void; option: (name: string) => void }): void {
  if (isSchema(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      visit.field([...path, key].join('/'));
      if (isSchema(sub)) walk(sub, [...path, key], visit);
    }
  }
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = schema[combinator];
    if (!Array.isArray(branches) || branches.every(onlyRequires)) continue;
    for (const branch of branches as Schema[]) {
      const name = isSchema(branch.properties) ? optionName(branch) : undefined;
      if (name) visit.option(name);
      walk(branch, path, visit);
    }
  }
}

/**
 * The schema the form of `kind` is drawn from: titles and descriptions from the catalogues,
 * alternatives named, translatable enums labelled. Root alternatives that only require fields
 * (`agent_call`: a prompt or messages) are left out of the drawing, which would offer them as a
 * choice; the errors still come from the full schema (configSchemaOf).
 */
export function formSchemaOf(kind: NodeKind, t: Translate, exists: Exists): RJSFSchema {
  const root = { ...(configSchemaOf(kind) as Schema) };
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = root[combinator];
    if (Array.isArray(branches) && branches.every(onlyRequires)) delete root[combinator];
  }
  return localize(root, [], kind, t, exists);
}

function localize(schema: Schema, path: string[], kind: NodeKind, t: Translate, exists: Exists): Schema {
  const out: Schema = { ...schema };
  if (isSchema(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, sub]) => {
        const at = [...path, key];
        const name = at.join('/');
        const titled: Schema = {
          ...localize(isSchema(sub) ? sub : {}, at, kind, t, exists),
          title: t([`nodeConfig.${kind}.${name}`, `nodeConfig.field.${name}`]),
        };
        const hint = [`nodeConfig.hint.${kind}.${name}`, `nodeConfig.hint.${name}`].find(exists);
        if (hint) titled.description = t(hint);
        const labels = ENUM_LABELS[name];
        if (labels && Array.isArray(titled.enum)) {
          titled.oneOf = (titled.enum as unknown[]).map((value) => ({ const: value, title: t(`${labels}.${String(value)}`) }));
          delete titled.enum;
        }
        return [key, titled];
      }),
    );
  }
  for (const combinator of ['oneOf', 'anyOf'] as const) {
    const branches = schema[combinator];
    if (!Array.isArray(branches) || branches.every(onlyRequires)) continue;
    out[combinator] = (branches as Schema[]).map((branch) => {
      const localized = localize(branch, path, kind, t, exists);
      const name = isSchema(branch.properties) ? optionName(branch) : undefined;
      return name ? { ...localized, title: t(`nodeConfig.option.${name}`) } : localized;
    });
  }
  return out;
}
