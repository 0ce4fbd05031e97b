import type { z } from 'zod';
import { isPlainObject } from '../field-path';

/** One problem of a config, at a path relative to the config. */
export interface ConfigIssue {
  path: PropertyKey[];
  message: string;
}

type Issue = z.core.$ZodIssue;

/**
 * The problems of a failed node-config parse, unions resolved to the alternative that was meant:
 * an alternative whose value has the wrong type, or that misses a field it requires, was not the
 * one meant; of the others, the one with the fewest problems speaks. When no alternative was meant
 * (`{}` for a `tool`: neither `toolId` nor `tool`), the union's own message does.
 */
export function configIssues(issues: readonly Issue[], input: unknown): ConfigIssue[] {
  return issues.flatMap((issue) => resolve(issue, [], input));
}

function resolve(issue: Issue, base: PropertyKey[], root: unknown): ConfigIssue[] {
  const path = [...base, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ path, message: issue.message }];
  const value = valueAt(root, path);
  const meant = issue.errors.filter((branch) => !branch.some((inner) => notMeant(inner, value)));
  if (meant.length === 0) return [{ path, message: issue.message }];
  const best = meant.reduce((a, b) => (b.length < a.length ? b : a));
  return best.flatMap((inner) => resolve(inner, path, root));
}

/** A type error on the union's value itself, or a required field the value does not have. */
function notMeant(issue: Issue, value: unknown): boolean {
  if (issue.code !== 'invalid_type') return false;
  if (issue.path.length === 0) return true;
  return issue.path.length === 1 && isPlainObject(value) && !(String(issue.path[0]) in value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}
