import type { ErrorSchema, RJSFSchema, RJSFValidationError, ValidatorType } from '@rjsf/utils';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** JSON Schema keywords whose failures have a sentence in the catalogues (`configError.<keyword>`). */
const WORDED = new Set([
  'required',
  'type',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'enum',
  'const',
  'minItems',
  'maxItems',
  'not',
  'dependencies',
  'additionalProperties',
  'multipleOf',
  'format',
]);

/** Which alternatives failed says nothing a field's own error does not: left out when there is one. */
const COMBINATORS = new Set(['oneOf', 'anyOf']);

/** ajv's messages in the user's language: the keyword's sentence from the catalogue, with its parameters. */
export function translateErrors(errors: RJSFValidationError[], t: Translate): RJSFValidationError[] {
  const specific = errors.filter((e) => !COMBINATORS.has(e.name ?? ''));
  return (specific.length ? specific : errors).map((e) => {
    const name = e.name ?? '';
    const params = (e.params ?? {}) as Record<string, unknown>;
    const message = WORDED.has(name)
      ? t(`configError.${name}`, { ...params, interpolation: { escapeValue: false } })
      : t('configError.invalid');
    return { ...e, message, stack: message };
  });
}

/**
 * The errors of a node's config against its type's JSON Schema, as rjsf shows them under each
 * field. Computed on every change, and at once for a config that is already wrong (a loaded graph,
 * a pasted node), which rjsf's own validation does not do before the first edit.
 */
export function configErrors(
  validator: ValidatorType,
  schema: RJSFSchema,
  config: Record<string, unknown>,
  t: Translate,
): ErrorSchema | undefined {
  const { errorSchema, errors } = validator.validateFormData(config, schema, undefined, (e) => translateErrors(e, t));
  return errors.length ? errorSchema : undefined;
}
