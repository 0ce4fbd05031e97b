import type { FieldError } from '@flowstack/contracts';
import Ajv from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';
import { childPath, isPlainObject } from '../field-path';

/** The JSON Schema dialects the platform runs: draft-07 by default, 2020-12 when `$schema` says so. */
export type SchemaDialect = 'draft-07' | '2020-12';

/** An Ajv of either dialect. */
export type SchemaAjv = Ajv | Ajv2020;

/** The dialect a schema asks for (`$schema` naming 2020-12), draft-07 otherwise. */
export function schemaDialect(schema: Record<string, unknown>): SchemaDialect {
  return typeof schema.$schema === 'string' && schema.$schema.includes('2020-12') ? '2020-12' : 'draft-07';
}

/** A JavaScript `pattern` in RE2 syntax (named groups `(?<n>)`, `\u{...}`, `/`), or a thrown RE2JS syntax error. */
const compileRe2 = (pattern: string): RE2JS => RE2JS.compile(RE2JS.translateRegExp(pattern));

/**
 * Ajv's regex engine for `pattern` and `patternProperties`: RE2 (re2js) matches in time linear in
 * the input, so no pattern can make validation backtrack for seconds (`^(a+)+$` on `aaa...!`).
 * RE2 has no backreferences or lookarounds: such patterns are refused at save
 * (`findPatternErrors`) and fail to compile here.
 */
export const re2RegExp: RegExpEngine = Object.assign(
  (pattern: string): { test: (s: string) => boolean } => {
    const re = compileRe2(pattern);
    return { test: (s: string) => re.test(s) };
  },
  // Only read by Ajv's standalone code generation, which the platform does not use.
  { code: 'require("@flowstack/workflow").re2RegExp' },
);

/**
 * A new Ajv for one dialect, with the platform's options: all errors, no strict mode, formats, and
 * RE2 patterns. Each compiled scope gets its own (a workspace's `$id`s never meet another's).
 * `validateSchema: false` skips checking schemas against the meta-schema (5x cheaper to compile)
 * where they were checked at save.
 */
export function createSchemaAjv(dialect: SchemaDialect, extra: { validateSchema?: boolean } = {}): SchemaAjv {
  const options = { strict: false, allErrors: true, logger: false as const, code: { regExp: re2RegExp }, ...extra };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

/** Keywords whose values are data, not schemas: a `pattern` key inside them is not a pattern. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['const', 'enum', 'default', 'examples']);

/**
 * Every `pattern` (and `patternProperties` key) in a schema that RE2 cannot compile, each at its own
 * path (`input_schema.properties.code.pattern`), so a save is refused with the field to fix.
 */
export function findPatternErrors(schema: unknown, path: string, rule: string, subject: string): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema, path, (at, pattern) => {
    try {
      compileRe2(pattern);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      errors.push({
        path: at,
        rule,
        message: `${subject} has a pattern the platform's linear-time regex engine (RE2) cannot run: ${reason} (no backreferences or lookarounds)`,
      });
    }
  });
  return errors;
}

function walk(value: unknown, path: string, visit: (path: string, pattern: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, childPath(path, index), visit));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const at = childPath(path, key);
    if (DATA_KEYWORDS.has(key)) continue;
    if (key === 'pattern' && typeof item === 'string') visit(at, item);
    else if (key === 'patternProperties' && isPlainObject(item)) {
      for (const [pattern, sub] of Object.entries(item)) {
        visit(childPath(at, pattern), pattern);
        walk(sub, childPath(at, pattern), visit);
      }
    } else walk(item, at, visit);
  }
}
