import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { FlowstackError, type FieldError } from '@flowstack/contracts';

/**
 * Validates execution inputs against a workflow version's `input_schema`. A version is immutable,
 * so its compiled validator is cached by (workflow, version).
 */
export class InputValidator {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  private readonly compiled = new Map<string, ValidateFunction>();

  assertValid(workflowId: string, version: number, schema: Record<string, unknown> | undefined, input: unknown): void {
    if (!schema) return;
    const key = `${workflowId}@${version}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      if (this.compiled.size > 1_000) this.compiled.delete(this.compiled.keys().next().value!);
      this.compiled.set(key, validate);
    }
    if (validate(input)) return;
    const errors: FieldError[] = (validate.errors ?? []).map((err) => {
      const missing = err.keyword === 'required' ? `.${String(err.params.missingProperty)}` : '';
      return {
        path: `input${pointerToPath(err.instancePath)}${missing}`,
        message: err.message ?? 'is invalid',
        rule: err.keyword,
      };
    });
    throw new FlowstackError('validation_failed', 'input does not match the workflow input_schema', errors);
  }
}

/** `/items/0/name` -> `.items[0].name` */
const pointerToPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
