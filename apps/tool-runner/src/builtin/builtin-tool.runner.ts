import { setTimeout as delay } from 'node:timers/promises';
import { BUILTIN_OPERATIONS, type NodeTask } from '@flowstack/contracts';
import { renderTemplate, stringifyForText } from '@flowstack/workflow';
import type { HttpToolExecutor } from '../http/http-tool.executor';
import { NodeFailure } from '../work/node-failure';

type Operation = (typeof BUILTIN_OPERATIONS)[number];
type Options = Record<string, unknown>;

/** Longest `sleep`: five minutes (a longer wait is a `delay` node, a durable timer). */
export const MAX_BUILTIN_SLEEP_SECONDS = 300;

/**
 * The platform's own operations (`builtin` tools), each a pure function of the tool's `options`
 * and the call's `args` (an argument wins over an option of the same name):
 *
 * - `noop`: outputs `args` as they came.
 * - `json_parse` `{ text }`: the parsed value (`invalid_json` when it is not JSON).
 * - `json_stringify` `{ value, pretty? }`: `{ text }`.
 * - `text_template` `{ template }`: `{ text }`, the template rendered over the task's scope plus `args`.
 * - `sleep` `{ seconds }` (0..300): waits, honouring cancel and the timeout; `{ sleptMs }`.
 * - `webhook_notify` `{ url, payload?, headers? }`: POSTs `payload` (default: the args without
 *   `url` and `headers`) as JSON under the outbound policy of http tools; `{ status, body }`.
 */
export class BuiltinToolRunner {
  constructor(private readonly http: HttpToolExecutor) {}

  async run(
    config: Record<string, unknown>,
    args: unknown,
    task: Pick<NodeTask, 'scope' | 'workspaceId'>,
    signal: AbortSignal,
  ): Promise<unknown> {
    const operation = config.operation as Operation;
    const options = (config.options ?? {}) as Options;
    const given = args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Options) : {};
    const input: Options = { ...options, ...given };
    switch (operation) {
      case 'noop':
        return args ?? {};
      case 'json_parse':
        return jsonParse(input.text ?? input.json ?? input.value);
      case 'json_stringify': {
        const value = 'value' in input ? input.value : args;
        return { text: JSON.stringify(value ?? null, null, input.pretty === true ? 2 : undefined) };
      }
      case 'text_template': {
        if (typeof input.template !== 'string') throw invalidArgs('text_template needs a string "template"');
        const rendered = await renderTemplate(input.template, { ...task.scope, args: given }, { fairnessKey: task.workspaceId });
        return { text: typeof rendered === 'string' ? rendered : stringifyForText(rendered) };
      }
      case 'sleep': {
        const seconds = input.seconds;
        if (typeof seconds !== 'number' || !(seconds >= 0) || seconds > MAX_BUILTIN_SLEEP_SECONDS) {
          throw invalidArgs(`sleep needs "seconds" between 0 and ${MAX_BUILTIN_SLEEP_SECONDS}`);
        }
        const started = Date.now();
        await delay(seconds * 1000, undefined, { signal }).catch(() => {
          throw new NodeFailure('cancelled', 'the sleep was stopped');
        });
        return { sleptMs: Date.now() - started };
      }
      case 'webhook_notify': {
        const { url, payload, headers, ...rest } = input;
        if (typeof url !== 'string') throw invalidArgs('webhook_notify needs a string "url"');
        const body = payload !== undefined ? payload : stripOptions(rest, options);
        const tool = { kind: 'http', url, method: 'POST', body: body ?? {}, timeoutMs: 10_000, ...(headers ? { headers } : {}) };
        // Data, never templates: the http runner renders its tool, so hand it a literal one.
        const response = await this.http.runLiteral(tool, signal);
        return { status: response.status, body: response.body };
      }
      default:
        throw new NodeFailure(
          'unsupported_tool',
          `builtin operation "${String(operation)}" is not one of ${BUILTIN_OPERATIONS.join(', ')}`,
        );
    }
  }
}

function jsonParse(text: unknown): unknown {
  if (typeof text !== 'string') throw invalidArgs('json_parse needs a string argument "text"');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NodeFailure('invalid_json', `not JSON: ${(e as Error).message}`);
  }
}

/** The args of a webhook call without the tool's own options (what the caller sent). */
function stripOptions(rest: Options, options: Options): Options {
  return Object.fromEntries(Object.entries(rest).filter(([k]) => !(k in options)));
}

const invalidArgs = (message: string): NodeFailure => new NodeFailure('invalid_arguments', message);
