/**
 * A renderer for the subset of Go templates (text/template + the Helm functions below) that
 * helm/flowstack uses, so `npm test` can render the chart where no `helm` binary can be installed.
 * It is not Helm: the chart keeps to this subset (helm/flowstack/README.md lists it), and anything
 * outside it is an error here rather than a silent difference. Users run the real `helm lint` and
 * `helm template`.
 *
 * Actions: `{{ pipeline }}`, trim markers `{{-`/`-}}`, comments `{{/* *\/}}`, `define`, `include`,
 * `if`/`else if`/`else`, `range $k, $v := x` (maps in sorted key order, like Go) and `range x`,
 * `with`, `$var := x`, `$var = x`. Pipelines: `a | f b`, parentheses, `.a.b`, `$.a`, `$v.a`,
 * string/number/bool literals. Functions: see FUNCTIONS.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';

type Value = unknown;
type Scope = { dot: Value; vars: Map<string, Value> };
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; expr: string }
  | { kind: 'if'; branches: { cond: string | null; body: Node[] }[] }
  | { kind: 'range'; key?: string; value?: string; expr: string; body: Node[]; elseBody: Node[] }
  | { kind: 'with'; expr: string; body: Node[]; elseBody: Node[] };

export class TemplateError extends Error {}

// ---------------------------------------------------------------------------------------------
// Lexing: text and actions, with the trim markers applied.

function lex(source: string, file: string): { text?: string; action?: string }[] {
  const parts: { text?: string; action?: string }[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      parts.push({ text: source.slice(at) });
      break;
    }
    const close = source.indexOf('}}', open);
    if (close < 0) throw new TemplateError(`${file}: unclosed action at ${open}`);
    let text = source.slice(at, open);
    let inner = source.slice(open + 2, close);
    if (inner.startsWith('- ') || inner === '-') {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    let next = close + 2;
    if (inner.endsWith(' -')) {
      inner = inner.slice(0, -1);
      const rest = source.slice(next);
      next += rest.length - rest.replace(/^\s+/, '').length;
    }
    parts.push({ text });
    inner = inner.trim();
    if (!(inner.startsWith('/*') && inner.endsWith('*/'))) parts.push({ action: inner });
    at = next;
  }
  return parts.filter((p) => p.action !== undefined || p.text);
}

// ---------------------------------------------------------------------------------------------
// Parsing into a tree; `define` blocks are collected into `defines`.

function parse(source: string, file: string, defines: Map<string, Node[]>): Node[] {
  const parts = lex(source, file);
  let i = 0;
  const block = (terminators: string[]): { body: Node[]; end: string } => {
    const body: Node[] = [];
    while (i < parts.length) {
      const part = parts[i++];
      if (part.text !== undefined) {
        body.push({ kind: 'text', text: part.text });
        continue;
      }
      const action = part.action as string;
      const word = action.split(/\s+/, 1)[0];
      if (terminators.includes(word)) return { body, end: action };
      if (word === 'if') {
        const branches: { cond: string | null; body: Node[] }[] = [];
        let cond: string | null = action.slice(2).trim();
        for (;;) {
          const inner = block(['else', 'end']);
          branches.push({ cond, body: inner.body });
          if (inner.end === 'end') break;
          const rest = inner.end.slice(4).trim();
          if (rest.startsWith('if ')) cond = rest.slice(3).trim();
          else if (rest === '') cond = null;
          else throw new TemplateError(`${file}: unsupported "${inner.end}"`);
        }
        body.push({ kind: 'if', branches });
      } else if (word === 'range' || word === 'with') {
        const head = action.slice(word.length).trim();
        const inner = block(['else', 'end']);
        const elseBody = inner.end === 'end' ? [] : block(['end']).body;
        if (word === 'with') body.push({ kind: 'with', expr: head, body: inner.body, elseBody });
        else {
          const m = /^(\$\w+)\s*(?:,\s*(\$\w+)\s*)?:=\s*(.+)$/.exec(head);
          if (m) {
            const [key, value] = m[2] ? [m[1], m[2]] : [undefined, m[1]];
            body.push({ kind: 'range', key, value, expr: m[3], body: inner.body, elseBody });
          } else body.push({ kind: 'range', expr: head, body: inner.body, elseBody });
        }
      } else if (word === 'define') {
        const name = /^define\s+"([^"]+)"$/.exec(action)?.[1];
        if (!name) throw new TemplateError(`${file}: bad define "${action}"`);
        defines.set(name, block(['end']).body);
      } else if (['block', 'template', 'break', 'continue', 'tpl'].includes(word)) {
        throw new TemplateError(`${file}: "${word}" is outside the supported subset`);
      } else body.push({ kind: 'action', expr: action });
    }
    if (terminators.length) throw new TemplateError(`${file}: missing {{ end }}`);
    return { body, end: '' };
  };
  return block([]).body;
}

// ---------------------------------------------------------------------------------------------
// Expressions.

type Token = { t: 'str' | 'num' | 'word' | 'field' | 'var' | '(' | ')' | '|'; v: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|`[^`]*`)|(-?\d+(?:\.\d+)?)|(\()|(\))|(\|)|(\$\w*(?:\.\w+)*)|(\.[\w.]*)|([A-Za-z_]\w*))/y;
  let at = 0;
  while (expr.slice(at).trim() !== '') {
    re.lastIndex = at;
    const m = re.exec(expr);
    if (!m) break;
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: 'str', v: m[1].startsWith('`') ? m[1].slice(1, -1) : (JSON.parse(m[1]) as string) });
    else if (m[2] !== undefined) tokens.push({ t: 'num', v: m[2] });
    else if (m[3] !== undefined) tokens.push({ t: '(', v: '(' });
    else if (m[4] !== undefined) tokens.push({ t: ')', v: ')' });
    else if (m[5] !== undefined) tokens.push({ t: '|', v: '|' });
    else if (m[6] !== undefined) tokens.push({ t: 'var', v: m[6] });
    else if (m[7] !== undefined) tokens.push({ t: 'field', v: m[7] });
    else tokens.push({ t: 'word', v: m[8] });
  }
  if (expr.slice(at).trim() !== '') throw new TemplateError(`cannot read "${expr.slice(at)}" in "${expr}"`);
  return tokens;
}

const field = (base: Value, path: string[]): Value => {
  let value = base;
  for (const key of path) {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object') throw new TemplateError(`cannot read .${key} of ${typeof value}`);
    value = (value as Record<string, Value>)[key];
  }
  return value;
};

/** Go's truth: false, 0, nil, and empty strings, maps and lists are false. */
export const truthy = (v: Value): boolean =>
  !(
    v === undefined ||
    v === null ||
    v === false ||
    v === 0 ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)
  );

const text = (v: Value): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? toYaml(v) : typeof v === 'string' ? v : JSON.stringify(v);
const toYaml = (v: Value): string => (v === undefined || v === null ? 'null' : stringify(v, { lineWidth: 0 }).replace(/\n$/, ''));
const indent = (n: number, s: string): string =>
  s
    .split('\n')
    .map((line) => ' '.repeat(n) + line)
    .join('\n');

type Fn = (...args: Value[]) => Value;

class Renderer {
  constructor(private readonly defines: Map<string, Node[]>) {}

  private readonly functions: Record<string, Fn> = {
    include: (name, dot) => {
      const body = this.defines.get(String(name));
      if (!body) throw new TemplateError(`include of undefined template "${String(name)}"`);
      return this.render(body, { dot, vars: new Map([['$', dot]]) });
    },
    toYaml: (v) => toYaml(v),
    toJson: (v) => JSON.stringify(v ?? null),
    nindent: (n, s) => `\n${indent(Number(n), text(s))}`,
    indent: (n, s) => indent(Number(n), text(s)),
    quote: (...vs) => vs.map((v) => JSON.stringify(text(v))).join(' '),
    squote: (v) => `'${text(v)}'`,
    default: (d, v) => (truthy(v) ? v : d),
    required: (message, v) => {
      if (v === undefined || v === null || v === '') throw new TemplateError(String(message));
      return v;
    },
    fail: (message) => {
      throw new TemplateError(String(message));
    },
    printf: (format, ...args) => {
      let i = 0;
      return String(format).replace(/%[sdv%]/g, (spec) => (spec === '%%' ? '%' : text(args[i++])));
    },
    eq: (a, ...bs) => bs.some((b) => a === b),
    ne: (a, b) => a !== b,
    lt: (a, b) => Number(a) < Number(b),
    gt: (a, b) => Number(a) > Number(b),
    not: (v) => !truthy(v),
    and: (...vs) => vs.find((v) => !truthy(v)) ?? vs[vs.length - 1],
    or: (...vs) => vs.find((v) => truthy(v)) ?? vs[vs.length - 1],
    empty: (v) => !truthy(v),
    dict: (...kv) => {
      const out: Record<string, Value> = {};
      for (let i = 0; i < kv.length; i += 2) out[String(kv[i])] = kv[i + 1];
      return out;
    },
    list: (...vs) => vs,
    hasKey: (m, k) => typeof m === 'object' && m !== null && Object.prototype.hasOwnProperty.call(m, String(k)),
    index: (m, ...keys) => field(m, keys.map(String)),
    lower: (s) => text(s).toLowerCase(),
    upper: (s) => text(s).toUpperCase(),
    trunc: (n, s) => text(s).slice(0, Number(n)),
    trimSuffix: (suffix, s) => (text(s).endsWith(String(suffix)) ? text(s).slice(0, -String(suffix).length) : text(s)),
    replace: (from, to, s) => text(s).split(String(from)).join(String(to)),
    b64enc: (s) => Buffer.from(text(s)).toString('base64'),
    sha256sum: (s) => createHash('sha256').update(text(s)).digest('hex'),
    int: (v) => Math.trunc(Number(v)),
    toString: (v: Value) => text(v),
  };

  /** Evaluates a pipeline such as `.Values.x | default "a" | quote`. */
  evaluate(expr: string, scope: Scope): Value {
    const tokens = tokenize(expr);
    let pos = 0;
    const operand = (): Value => {
      const token = tokens[pos++];
      if (!token) throw new TemplateError(`unexpected end of "${expr}"`);
      switch (token.t) {
        case 'str':
          return token.v;
        case 'num':
          return Number(token.v);
        case 'field':
          return token.v === '.' ? scope.dot : field(scope.dot, token.v.slice(1).split('.'));
        case 'var': {
          const [name, ...path] = token.v.split('.');
          if (!scope.vars.has(name)) throw new TemplateError(`undefined variable ${name} in "${expr}"`);
          return field(scope.vars.get(name), path);
        }
        case '(': {
          const value = pipeline();
          if (tokens[pos++]?.t !== ')') throw new TemplateError(`missing ) in "${expr}"`);
          return value;
        }
        case 'word':
          if (token.v === 'true' || token.v === 'false') return token.v === 'true';
          if (token.v === 'nil') return null;
          throw new TemplateError(`function ${token.v} used as a value in "${expr}"`);
        default:
          throw new TemplateError(`unexpected ${token.v} in "${expr}"`);
      }
    };
    const command = (piped: Value[]): Value => {
      const head = tokens[pos];
      if (head?.t === 'word' && !['true', 'false', 'nil'].includes(head.v)) {
        pos += 1;
        const fn = this.functions[head.v];
        if (!fn) throw new TemplateError(`function "${head.v}" is outside the supported subset`);
        const args: Value[] = [];
        while (pos < tokens.length && tokens[pos].t !== '|' && tokens[pos].t !== ')') args.push(operand());
        return fn(...args, ...piped);
      }
      if (piped.length) throw new TemplateError(`cannot pipe into a value in "${expr}"`);
      return operand();
    };
    const pipeline = (): Value => {
      let value = command([]);
      while (tokens[pos]?.t === '|') {
        pos += 1;
        value = command([value]);
      }
      return value;
    };
    const value = pipeline();
    if (pos !== tokens.length) throw new TemplateError(`unexpected ${tokens[pos].v} in "${expr}"`);
    return value;
  }

  render(nodes: Node[], scope: Scope): string {
    let out = '';
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          out += node.text;
          break;
        case 'action': {
          const assign = /^(\$\w+)\s*(:?=)\s*(.+)$/.exec(node.expr);
          if (assign) {
            if (assign[2] === '=' && !scope.vars.has(assign[1])) throw new TemplateError(`assignment to undeclared ${assign[1]}`);
            scope.vars.set(assign[1], this.evaluate(assign[3], scope));
          } else out += text(this.evaluate(node.expr, scope));
          break;
        }
        case 'if': {
          const branch = node.branches.find((b) => b.cond === null || truthy(this.evaluate(b.cond, scope)));
          if (branch) out += this.render(branch.body, { dot: scope.dot, vars: new Map(scope.vars) });
          break;
        }
        case 'with': {
          const value = this.evaluate(node.expr, scope);
          out += truthy(value)
            ? this.render(node.body, { dot: value, vars: new Map(scope.vars) })
            : this.render(node.elseBody, scope);
          break;
        }
        case 'range': {
          const value = this.evaluate(node.expr, scope);
          const entries: [Value, Value][] = Array.isArray(value)
            ? value.map((v, i) => [i, v])
            : value && typeof value === 'object'
              ? Object.keys(value)
                  .sort()
                  .map((k) => [k, (value as Record<string, Value>)[k]])
              : [];
          if (value !== undefined && value !== null && typeof value !== 'object')
            throw new TemplateError(`range over ${typeof value}`);
          if (!entries.length) out += this.render(node.elseBody, scope);
          for (const [k, v] of entries) {
            const vars = new Map(scope.vars);
            if (node.key) vars.set(node.key, k);
            if (node.value) vars.set(node.value, v);
            out += this.render(node.body, { dot: v, vars });
          }
          break;
        }
      }
    }
    return out;
  }
}

/** The top-level objects a template sees (`.Values`, `.Release`, `.Chart`). */
export interface RenderContext {
  Values: Record<string, unknown>;
  Release: { Name: string; Namespace: string; Service: string; IsInstall: boolean; IsUpgrade: boolean };
  Chart: Record<string, unknown>;
}

/**
 * Renders every template file (`files`: name -> text; names starting with `_` only define) like
 * `helm template` does: defines from all files first, then each file with the context as `.` and `$`.
 */
export function renderTemplates(files: Record<string, string>, context: RenderContext): Record<string, string> {
  const defines = new Map<string, Node[]>();
  const trees = Object.entries(files).map(([name, source]) => [name, parse(source, name, defines)] as const);
  const renderer = new Renderer(defines);
  const out: Record<string, string> = {};
  for (const [name, tree] of trees) {
    if (name.split('/').pop()?.startsWith('_')) continue;
    try {
      out[name] = renderer.render(tree, { dot: context, vars: new Map([['$', context]]) });
    } catch (e) {
      throw new TemplateError(`${name}: ${(e as Error).message}`);
    }
  }
  return out;
}
