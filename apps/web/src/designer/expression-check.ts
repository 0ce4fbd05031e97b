/**
 * Live syntax checks for expression and template fields with the JSONata compiler the server uses
 * (loaded on first use, so it stays out of the initial bundle). The server's validation on save
 * stays the judge; this catches typos as you type.
 */
type Compile = (source: string) => unknown;
let compiler: Promise<Compile> | undefined;
const loadCompiler = (): Promise<Compile> => (compiler ??= import('jsonata').then((m) => (m.default ?? m) as unknown as Compile));

/** The compile error of a JSONata expression, or undefined when it compiles (an empty one is left to the server). */
export function expressionError(compile: Compile, source: string): string | undefined {
  if (source.trim() === '') return undefined;
  try {
    compile(source);
    return undefined;
  } catch (e) {
    const err = e as { message?: string; position?: number };
    return err.position !== undefined ? `${err.message} (position ${err.position})` : String(err.message ?? e);
  }
}

/**
 * The first problem of a template's `{{ }}` parts: one never closed, one empty, or one that does not
 * compile. `\{{` is a literal. (Simplified from the server's parser: a `}}` inside a string of an
 * expression ends it here; the server's answer on save is exact.)
 */
export function templateError(compile: Compile, template: string): string | undefined {
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('\\{{', i)) i += 3;
    else if (template.startsWith('{{', i)) {
      const end = template.indexOf('}}', i + 2);
      if (end < 0) return `"{{" at position ${i} is never closed by "}}"`;
      const source = template.slice(i + 2, end);
      if (source.trim() === '') return `empty "{{ }}" at position ${i}`;
      const problem = expressionError(compile, source);
      if (problem) return problem;
      i = end + 2;
    } else i += 1;
  }
  return undefined;
}

/** Checks `value` as an expression or a template once the compiler has loaded. */
export async function checkField(kind: 'expression' | 'template', value: string): Promise<string | undefined> {
  const compile = await loadCompiler();
  return kind === 'expression' ? expressionError(compile, value) : templateError(compile, value);
}
