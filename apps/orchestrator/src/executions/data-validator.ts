import type { ValidateFunction } from 'ajv';
import type { FieldError, NodeError } from '@flowstack/contracts';
import { childPath, createSchemaAjv, LruCache, pointerToPath, schemaDialect } from '@flowstack/workflow';

/** Compiled node schemas kept (each a small Ajv with one schema). */
const CAPACITY = 1000;

/**
 * Checks a `validation` node's data against its JSON Schema and reports every violation with its
 * path (`data.items[0].name`), so a caller can fix them all at once.
 *
 * Compiled validators are cached by the schema's JSON: identical content compiles to a validator
 * that behaves identically, and each gets an Ajv of its own, so two workspaces' schemas with the
 * same `$id` never meet. Patterns run on RE2 (linear time), so no data can make it backtrack.
 */
export class DataValidator {
  private readonly compiled = new LruCache<string, ValidateFunction>(CAPACITY);

  /** `undefined` when `data` matches; else the node error (`validation_failed`, not retryable). */
  check(schema: unknown, data: unknown): NodeError | undefined {
    const validate = this.validatorFor(schema);
    if (typeof validate === 'object') return validate;
    if (validate(data)) return undefined;
    const errors: FieldError[] = (validate.errors ?? []).map((err) => {
      const at = pointerToPath('data', err.instancePath);
      const path = err.keyword === 'required' ? childPath(at, String(err.params.missingProperty)) : at;
      return { path, message: err.message ?? 'is invalid', rule: err.keyword };
    });
    const count = errors.length === 1 ? '1 violation' : `${errors.length} violations`;
    return {
      code: 'validation_failed',
      message: `the data does not match the schema (${count})`,
      retryable: false,
      details: { errors },
    };
  }

  private validatorFor(schema: unknown): ValidateFunction | NodeError {
    const key = JSON.stringify(schema);
    const cached = this.compiled.get(key);
    if (cached) return cached;
    try {
      // The registry checked the schema against its meta-schema when the version was saved.
      const record = schema as Record<string, unknown>;
      const validate = createSchemaAjv(schemaDialect(record), { validateSchema: false }).compile(record);
      this.compiled.set(key, validate);
      return validate;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { code: 'invalid_config', message: `config.schema does not compile: ${reason}`, retryable: false };
    }
  }
}
