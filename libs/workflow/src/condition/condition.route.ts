/**
 * The route label of a condition node's value: the string compared with the `when` of its
 * outgoing edges (ARCHITECTURE.md section 5). When no edge's `when` equals it, the edge with
 * `when: "default"` is taken.
 *
 * | value                     | label                        |
 * | ------------------------- | ---------------------------- |
 * | `true` / `false`          | `"true"` / `"false"`         |
 * | number                    | `String(n)`: `3`, `2.5`, `-1` |
 * | string                    | itself (`"gold"`)            |
 * | `null` / `undefined`      | `"null"` / `"undefined"`     |
 * | object or array           | its JSON (`{"a":1}`, `[1,2]`) |
 *
 * So `input.amount > 100` routes on `"true"`/`"false"`, and `input.tier` routes on case labels.
 * A missing value (`undefined`, e.g. a path that matched nothing) only takes an edge labelled
 * `"undefined"` or the default.
 */
export function conditionRoute(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'number':
    case 'bigint':
      return String(value);
    case 'object':
      return JSON.stringify(value);
    default:
      // Functions and symbols never come out of the evaluator; name their kind rather than throw.
      return typeof value;
  }
}
