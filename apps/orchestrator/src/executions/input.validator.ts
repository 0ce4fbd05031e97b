import type { ValidateFunction } from 'ajv';
import { FlowstackError, type FieldError } from '@flowstack/contracts';
import { childPath, createSchemaAjv, LruCache, pointerToPath, schemaDialect } from '@flowstack/workflow';

/** What one compiled input schema belongs to: a version is immutable, so this identifies it. */
export interface SchemaScope {
  workspaceId: string;
  workflowId: string;
  version: number;
}

/** Compiled scopes kept by default (each is a small Ajv with one schema). */
export const DEFAULT_SCHEMA_SCOPES = 1000;

/**
 * Validates execution inputs against a workflow version's `input_schema`. Each compiled scope
 * (workspace, workflow, version) gets its own Ajv of the schema's dialect (draft-07, or 2020-12
 * when `$schema` says so), so two workspaces' schemas with the same `$id` never meet; the
 * validators are kept in an LRU of `capacity` scopes. Patterns run on RE2 (linear time), so
 * validation stays in the calling thread: no input can make it backtrack.
 */
export class InputValidator {
  private readonly compiled: LruCache<string, ValidateFunction>;

  constructor(capacity = DEFAULT_SCHEMA_SCOPES) {
    this.compiled = new LruCache(capacity);
  }

  /**
   * Throws `validation_failed` (400) with a field path per problem when `input` does not match,
   * `invalid_graph` when the stored schema cannot be compiled (a version saved before a rule existed).
   */
  assertValid(scope: SchemaScope, schema: Record<string, unknown> | undefined, input: unknown): void {
    if (!schema) return;
    const validate = this.validatorFor(scope, schema);
    if (validate(input)) return;
    const errors: FieldError[] = (validate.errors ?? []).map((err) => {
      const at = pointerToPath('input', err.instancePath);
      const path = err.keyword === 'required' ? childPath(at, String(err.params.missingProperty)) : at;
      return {
        path,
        message: err.message ?? 'is invalid',
        rule: err.keyword,
      };
    });
    throw new FlowstackError('validation_failed', 'input does not match the workflow input_schema', errors);
  }

  private validatorFor(scope: SchemaScope, schema: Record<string, unknown>): ValidateFunction {
    const key = `${scope.workspaceId}/${scope.workflowId}@${scope.version}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    let validate: ValidateFunction;
    try {
      // The registry checked the schema against its meta-schema at save.
      validate = createSchemaAjv(schemaDialect(schema), { validateSchema: false }).compile(schema);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new FlowstackError('invalid_graph', `workflow version cannot run: its input_schema does not compile: ${reason}`);
    }
    this.compiled.set(key, validate);
    return validate;
  }
}
