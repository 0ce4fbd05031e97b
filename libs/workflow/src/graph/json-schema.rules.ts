import type { FieldError } from '@flowstack/contracts';
import type { ErrorObject } from 'ajv';
import { childPath, isPlainObject } from '../field-path';
import { createSchemaAjv, findPatternErrors, schemaDialect, type SchemaAjv, type SchemaDialect } from './json-schema.engine';

// Created on first use: most calls of validateGraph carry no schema. Same options (RE2 patterns
// included) as the orchestrator's validators, so what saves is what runs.
const ajvs = new Map<SchemaDialect, SchemaAjv>();

const ajvFor = (schema: Record<string, unknown>): SchemaAjv => {
  const dialect = schemaDialect(schema);
  let ajv = ajvs.get(dialect);
  if (!ajv) {
    ajv = createSchemaAjv(dialect);
    ajvs.set(dialect, ajv);
  }
  return ajv;
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
 * at `path` when compiling fails (an unresolvable `$ref`, an unknown `$schema`...). A `pattern`
 * that RE2 cannot run (a backreference, a lookaround) is reported at its own path.
 */
export function findJsonSchemaErrors(schema: unknown, path: string, rule: string, subject: string): FieldError[] {
  if (typeof schema === 'boolean') return [];
  if (!isPlainObject(schema)) return [{ path, rule, message: `${subject} must be a JSON Schema object` }];
  const patternErrors = findPatternErrors(schema, path, rule, subject);
  if (patternErrors.length > 0) return patternErrors;
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
