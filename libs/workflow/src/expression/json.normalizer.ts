/**
 * JSONata results carry engine artefacts: arrays flagged `sequence` (plus `keepSingleton`,
 * `outerWrapper`, `tupleStream`), objects with a null prototype from object constructors, and
 * function values (lambdas, built-ins). Downstream code compares, stores and serialises outputs as
 * JSON, so they are turned into plain JSON here, following `JSON.stringify` rules: functions and
 * `undefined` vanish from objects and become `null` in arrays.
 *
 * Subtrees that are already plain are returned as is (no copy), so passing a large input through
 * an expression costs one walk and no allocation.
 */
import { setOwn } from '../field-path';

const SEQUENCE_FLAGS = ['sequence', 'keepSingleton', 'outerWrapper', 'tupleStream'] as const;

const isFunctionValue = (value: object): boolean =>
  typeof value === 'function' ||
  (value as { _jsonata_lambda?: unknown })._jsonata_lambda === true ||
  (value as { _jsonata_function?: unknown })._jsonata_function === true;

const hasSequenceFlag = (array: unknown[]): boolean =>
  SEQUENCE_FLAGS.some((flag) => Object.prototype.hasOwnProperty.call(array, flag));

/** The value as plain JSON-compatible data; `undefined` (and a bare function) gives `undefined`. */
export function toPlainJson(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (isFunctionValue(value)) return undefined;
  if (Array.isArray(value)) return normalizeArray(value);
  return normalizeObject(value as Record<string, unknown>);
}

function normalizeArray(array: unknown[]): unknown[] {
  let copy: unknown[] | undefined = hasSequenceFlag(array) ? array.slice(0, 0) : undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const plain = toPlainJson(item);
    const normalized = plain === undefined ? null : plain;
    if (copy === undefined && normalized !== item) copy = array.slice(0, i);
    if (copy !== undefined) copy.push(normalized);
  }
  return copy ?? array;
}

function normalizeObject(object: Record<string, unknown>): unknown {
  const proto: unknown = Object.getPrototypeOf(object);
  // Class instances (a Date in a caller's scope...) are not JSONata's doing; leave them alone.
  if (proto !== null && proto !== Object.prototype) return object;
  let copy: Record<string, unknown> | undefined = proto === null ? {} : undefined;
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const item = object[key];
    const plain = toPlainJson(item);
    if (copy === undefined && plain !== item) copy = copyKeys(object, keys, i);
    if (copy !== undefined && plain !== undefined) setOwn(copy, key, plain);
  }
  return copy ?? object;
}

function copyKeys(object: Record<string, unknown>, keys: string[], count: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) setOwn(copy, keys[i], object[keys[i]]);
  return copy;
}
