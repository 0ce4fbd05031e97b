import type { FieldError } from '@flowstack/contracts';
import Ajv, { type ErrorObject } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { childPath, isPlainObject } from '../field-path';

type AnyAjv = Ajv | Ajv2020;

// Created on first use: most calls of validateGraph carry no schema. No logger: a pure library
// reports through its return value, never the console.
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

const ajvFor = (schema: Record<string, unknown>): AnyAjv => {
  const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
  if (dialect.includes('2020-12')) {
    if (!draft2020) {
      draft2020 = new Ajv2020({ strict: false, allErrors: true, logger: false });
      addFormats(draft2020);
    }
    return draft2020;
  }
  if (!draft07) {
    draft07 = new Ajv({ strict: false, allErrors: true, logger: false });
    addFormats(draft07);
  }
  return draft07;
};

/** A JSON pointer (`/properties/name/type`) as a field path (`properties.name.type`). */
const pointerToPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, token) => childPath(path, /^\d+$/.test(token) ? Number(token) : token), '');

/**
 * Checks that `schema` is a JSON Schema (draft-07, or 2020-12 when its `$schema` says so) that
 * compiles: one `FieldError` per faulty location inside the schema (ajv's messages joined), or one
 * at `path` when compiling fails (an unresolvable `$ref`, an unknown `$schema`...).
 */
export function findJsonSchemaErrors(schema: unknown, path: string, rule: string, subject: string): FieldError[] {
  if (typeof schema === 'boolean') return [];
  if (!isPlainObject(schema)) return [{ path, rule, message: `${subject} must be a JSON Schema object` }];
  const ajv = ajvFor(schema);
  try {
    // validateSchema throws on an unknown $schema; its boolean result is in ajv.errors.
    if (!ajv.validateSchema(schema)) return groupByLocation(ajv.errors ?? [], path, rule, subject);
    ajv.compile(schema);
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [{ path, rule, message: `${subject} is not a valid JSON Schema: ${message}` }];
  } finally {
    // Forget what compiling registered (the schema, its $ids) so saves don't accumulate or clash.
    ajv.removeSchema();
  }
}

function groupByLocation(errors: ErrorObject[], path: string, rule: string, subject: string): FieldError[] {
  const byPointer = new Map<string, string[]>();
  for (const error of errors) {
    const messages = byPointer.get(error.instancePath) ?? [];
    if (error.message && !messages.includes(error.message)) messages.push(error.message);
    byPointer.set(error.instancePath, messages);
  }
  return [...byPointer].map(([pointer, messages]) => {
    const at = pointerToPath(pointer);
    const fullPath = at === '' ? path : at.startsWith('[') ? `${path}${at}` : `${path}.${at}`;
    const where = at === '' ? '' : ` at ${at}`;
    return { path: fullPath, rule, message: `${subject} is not a valid JSON Schema${where}: ${messages.join('; ')}` };
  });
}
