import type jsonata from 'jsonata';

/**
 * Built-ins whose cost is linear in their arguments and that take no function or regex: on
 * inputs bounded by the platform's size limits they finish quickly in one evaluation step. Higher-order
 * functions, sorting, `$distinct` (quadratic), regex users (`$match`, `$replace`, `$split`),
 * generators of large values (`$pad`, ranges) and `$eval` are absent on purpose.
 */
const LINEAR_FUNCTIONS: ReadonlySet<string> = new Set([
  'string',
  'number',
  'boolean',
  'not',
  'exists',
  'type',
  'length',
  'uppercase',
  'lowercase',
  'trim',
  'substring',
  'substringBefore',
  'substringAfter',
  'contains',
  'join',
  'count',
  'sum',
  'max',
  'min',
  'average',
  'abs',
  'floor',
  'ceil',
  'round',
  'keys',
  'lookup',
  'merge',
  'append',
  'reverse',
]);

/** Built-ins allowed only without arguments (a picture string would be a formatting program). */
const NULLARY_FUNCTIONS: ReadonlySet<string> = new Set(['now', 'millis']);

const BOUNDED_OPERATORS: ReadonlySet<string> = new Set([
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '&',
  'and',
  'or',
  'in',
]);

/** Variables of the scope (`$input`...), the context `$` and the root `$$`. */
const SCOPE_VARIABLES: ReadonlySet<string> = new Set(['input', 'nodes', 'execution']);

/** The parts of JSONata's (loosely typed) AST that the classifier reads. */
interface AstNode {
  type: string;
  value?: unknown;
  steps?: AstNode[];
  stages?: { type: string; expr?: AstNode }[];
  predicate?: { type: string; expr?: AstNode }[];
  group?: { lhs: [AstNode, AstNode][] };
  lhs?: AstNode | [AstNode, AstNode][];
  rhs?: AstNode;
  expression?: AstNode;
  expressions?: AstNode[];
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  procedure?: AstNode;
  arguments?: AstNode[];
  focus?: unknown;
  index?: unknown;
  tuple?: unknown;
  ancestor?: unknown;
}

/**
 * Where an expression may be evaluated: `'in-thread'` when its cost is linear in the size of the
 * scope (so the step guard's deadline, checked between JSONata steps, is enough and no worker hop
 * is paid), `'worker'` for everything else. The rule, conservative by design (README.md "Where
 * expressions run"): paths (names, `*`, filters, grouping), literals, arithmetic, comparison,
 * boolean and string operators, conditionals, blocks, array and object constructors, and calls of
 * the linear built-ins above; inside a path step, filter or grouping (evaluated once per item) no
 * absolute reference (`$input`, `$nodes`, `$execution`, `$$`), which would make the work quadratic.
 * Ranges, sorting, regexes, lambdas, variable bindings, `~>`, transforms, descendants, parent and
 * positional steps, and unknown functions go to the worker.
 */
export function classifyExpression(program: jsonata.Expression): 'in-thread' | 'worker' {
  return isBounded(program.ast() as unknown as AstNode, false) ? 'in-thread' : 'worker';
}

function isBounded(node: AstNode | undefined, perItem: boolean): boolean {
  if (node === undefined) return true;
  if (node.focus !== undefined || node.index !== undefined || node.tuple !== undefined || node.ancestor !== undefined) {
    return false;
  }
  if (!stagesBounded(node.stages) || !stagesBounded(node.predicate)) return false;
  if (node.group && !node.group.lhs.every(([k, v]) => isBounded(k, true) && isBounded(v, true))) return false;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value':
    case 'name':
    case 'wildcard':
      return true;
    case 'variable':
      // `$` is the context item; the rest reach the whole scope.
      return node.value === '' || (!perItem && (node.value === '$' || SCOPE_VARIABLES.has(String(node.value))));
    case 'path':
      return (node.steps ?? []).every((step, i) => isBounded(step, perItem || i > 0));
    case 'binary':
      return BOUNDED_OPERATORS.has(String(node.value)) && isBounded(node.lhs as AstNode, perItem) && isBounded(node.rhs, perItem);
    case 'unary':
      if (node.value === '-') return isBounded(node.expression, perItem);
      if (node.value === '[') return (node.expressions ?? []).every((e) => isBounded(e, perItem));
      if (node.value === '{') {
        return ((node.lhs as [AstNode, AstNode][] | undefined) ?? []).every(
          ([k, v]) => isBounded(k, perItem) && isBounded(v, perItem),
        );
      }
      return false;
    case 'condition':
      return isBounded(node.condition, perItem) && isBounded(node.then, perItem) && isBounded(node.else, perItem);
    case 'block':
      return (node.expressions ?? []).every((e) => isBounded(e, perItem));
    case 'function':
      return isLinearCall(node) && (node.arguments ?? []).every((a) => isBounded(a, perItem));
    default:
      // regex, lambda, partial, bind, apply, transform, sort, descendant, parent and anything new.
      return false;
  }
}

function stagesBounded(stages: { type: string; expr?: AstNode }[] | undefined): boolean {
  return (stages ?? []).every((stage) => stage.type === 'filter' && isBounded(stage.expr, true));
}

function isLinearCall(node: AstNode): boolean {
  const procedure = node.procedure;
  if (procedure?.type !== 'variable') return false;
  const name = String(procedure.value);
  if (NULLARY_FUNCTIONS.has(name)) return (node.arguments ?? []).length === 0;
  return LINEAR_FUNCTIONS.has(name);
}
