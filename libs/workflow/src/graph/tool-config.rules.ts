import { MAX_TOOL_TIMEOUT_MS, TOOL_HTTP_METHODS, TOOL_KINDS } from '@flowstack/contracts';
import { isPlainObject } from '../field-path';
import { parseTemplate } from '../template/template.parser';
import type { NodeIssues } from './node-issue';

/** Tool kinds of ARCHITECTURE.md section 6; all but `mcp` run inline (an mcp tool must be registered and discovered). */
export const INLINE_TOOL_KINDS = TOOL_KINDS;
export const HTTP_METHODS = TOOL_HTTP_METHODS;
/** Upper bound of an http tool's `timeoutMs`: five minutes. */
export const MAX_HTTP_TIMEOUT_MS = MAX_TOOL_TIMEOUT_MS;

/**
 * What a `tool` node's schema (`toolNodeConfigSchema`) cannot say: every string anywhere in the
 * config is a template and must compile (but python `code` and shell `command`, which run as is),
 * and an inline http tool's URL, where its literal text already shows a scheme, is http(s).
 */
export function checkToolTemplates(config: Record<string, unknown>, issues: NodeIssues): void {
  const tool = config.tool;
  if (isPlainObject(tool) && tool.kind === 'http' && typeof tool.url === 'string') {
    const scheme = literalSchemeOf(tool.url);
    if (scheme !== undefined && !HTTP_SCHEMES.includes(scheme)) {
      issues.add('config.tool.url', `config.tool.url must be an http: or https: URL, not ${scheme}:`);
    }
  }
  issues.addTemplateErrors(withoutSourceCode(config), 'config');
}

/**
 * The config without an inline python tool's `code` and a shell tool's `command`: source code runs
 * as is (it never is a template), so `{{` in it is no template error.
 */
function withoutSourceCode(config: Record<string, unknown>): Record<string, unknown> {
  const tool = config.tool;
  if (!isPlainObject(tool) || (tool.kind !== 'python' && tool.kind !== 'shell')) return config;
  const { code: _code, command: _command, ...rest } = tool;
  return { ...config, tool: rest };
}

/** The only URL schemes an http tool may call (the tool-runner refuses the others at run too). */
const HTTP_SCHEMES: readonly string[] = ['http', 'https'];

/**
 * The scheme of a URL template when its literal text before the first `{{ }}` already shows one,
 * lower-cased; undefined when the scheme comes from an expression (or the template does not
 * parse, which the template check reports). Reads the prefix the way WHATWG URL does: leading
 * C0 controls and spaces are stripped, tabs and newlines anywhere are dropped, so
 * `" fi\tle:///etc"` is `file`.
 */
function literalSchemeOf(url: string): string | undefined {
  let prefix: string;
  try {
    const [first] = parseTemplate(url);
    prefix = first?.kind === 'text' ? first.text : '';
  } catch {
    return undefined;
  }
  const cleaned = prefix.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1].toLowerCase();
}
