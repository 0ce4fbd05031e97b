import type { NodeError, TokenUsage } from '@flowstack/contracts';
import { addCosts, costOf, type PriceTable, type TokenCost } from '@flowstack/pricing';
import { createSchemaAjv, schemaDialect } from '@flowstack/workflow';
import type { ValidateFunction } from 'ajv';
import { NodeFailure } from '../work/node-failure';
import type { AgentLoopInput, AgentLoopResult, ToolCallRecord, TurnRecord } from './agent-loop.types';
import { LlmError } from './llm-error';
import type { ConversationMessage, LlmProvider, ToolCall, ToolDefinition, ToolResult } from './llm.types';
import { outputInstruction, parseStructuredOutput } from './structured-output';

export const DEFAULT_MAX_TOOL_RESULT_CHARS = 100_000;
/** What both vendors accept as a tool name. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface AgentLoopDeps {
  llm: LlmProvider;
  prices: PriceTable;
  /** Milliseconds clock for tool durations. */
  now?: () => number;
}

/**
 * The agent's tool-calling loop: call the LLM, run the tools it asks for (parallel calls at once),
 * give it the results, until it answers without tools or the step limit is reached.
 *
 * Durable by its callbacks: each turn goes to `onTurnCompleted` and each tool call to
 * `onToolCalled`, awaited before the loop goes on, so the caller can record them. Given what an
 * earlier attempt recorded, the loop rebuilds the conversation from it and goes on from there:
 * recorded turns are not sent to the LLM again and recorded tool calls are not run again (calls of
 * a recorded turn that have no record are run). See README.md beside this file.
 */
export class AgentLoop {
  private readonly now: () => number;

  constructor(private readonly deps: AgentLoopDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  async run(input: AgentLoopInput): Promise<AgentLoopResult> {
    const { agent } = input;
    if (!Number.isInteger(agent.maxSteps) || agent.maxSteps < 1) {
      throw new NodeFailure('invalid_config', `maxSteps must be a positive integer, not ${agent.maxSteps}`);
    }
    const validators = argumentValidators(input.tools);
    const signal = input.signal ?? new AbortController().signal;
    const system = [agent.systemPrompt, input.outputSchema !== undefined ? outputInstruction(input.outputSchema) : undefined]
      .filter((s): s is string => !!s)
      .join('\n\n');
    const tally = new Tally(agent.model);
    const messages: ConversationMessage[] = input.conversation
      ? input.conversation.map((m): ConversationMessage =>
          m.role === 'user' ? { role: 'user', text: m.text } : { role: 'assistant', text: m.text, toolCalls: [] },
        )
      : [{ role: 'user', text: input.prompt }];
    const runner = new ToolRunner(input, validators, signal, this.now);

    // Resume: rebuild the conversation from the record, running only calls that have no record.
    const recorded = orderedTurns(input.recorded?.turns ?? []);
    let last: TurnRecord | undefined;
    for (const turn of recorded) {
      tally.add(turn);
      messages.push(turn.message);
      if (turn.message.toolCalls.length > 0) {
        this.assertStepAllowed(turn.step + 1, agent.maxSteps, tally, turn.step);
        const results = await runner.resultsFor(turn, input.recorded?.toolCalls ?? []);
        messages.push({ role: 'tool_results', results });
      }
      last = turn;
    }

    let newTurns = 0;
    while (!last || last.message.toolCalls.length > 0) {
      const step = (last?.step ?? 0) + 1;
      this.assertStepAllowed(step, agent.maxSteps, tally);
      const turn = await this.callLlm(input, step, system, messages, tally, signal);
      newTurns++;
      tally.add(turn);
      await input.onTurnCompleted(turn);
      messages.push(turn.message);
      if (turn.message.toolCalls.length > 0) {
        // Calls the last allowed step asks for would never be answered: fail before running them.
        this.assertStepAllowed(step + 1, agent.maxSteps, tally, step);
        messages.push({ role: 'tool_results', results: await runner.resultsFor(turn, []) });
      }
      last = turn;
    }

    if (last.stopReason === 'context_window') {
      throw new NodeFailure(
        'context_length_exceeded',
        'the model stopped at the end of its context window',
        false,
        tally.spent(),
      );
    }
    const text = last.message.text;
    const output = input.outputSchema !== undefined ? parseStructuredOutput(text, input.outputSchema) : text;
    return { output, text, steps: last.step, newTurns, ...tally.spent() };
  }

  private assertStepAllowed(step: number, maxSteps: number, tally: Tally, asked?: number): void {
    if (step <= maxSteps) return;
    const after = asked ?? step - 1;
    throw new NodeFailure(
      'max_steps_exceeded',
      `the agent still asked for tools after ${after} of its ${maxSteps} steps`,
      false,
      { maxSteps, ...tally.spent() },
    );
  }

  private async callLlm(
    input: AgentLoopInput,
    step: number,
    system: string,
    messages: ConversationMessage[],
    tally: Tally,
    signal: AbortSignal,
  ): Promise<TurnRecord> {
    const { agent } = input;
    try {
      const result = await this.deps.llm.complete({
        model: agent.model,
        ...(system ? { system } : {}),
        messages,
        tools: input.tools,
        ...(agent.parameters ? { parameters: agent.parameters } : {}),
        signal,
        ...(input.onChunk ? { onChunk: (text: string) => input.onChunk!(text, step) } : { stream: false }),
      });
      return {
        step,
        message: result.message,
        usage: result.usage,
        cost: costOf(this.deps.prices, agent.provider, result.usage.model, result.usage),
        stopReason: result.stopReason,
      };
    } catch (e) {
      if (!(e instanceof LlmError)) throw e;
      // A failed call carries what it had cost (the input tokens, once the stream had started).
      const partial = e.details.usage;
      const failed = partial ? costOf(this.deps.prices, agent.provider, partial.model, partial) : { cost: 0, priced: true };
      throw new LlmError(e.code, e.message, { ...e.details, spent: tally.spent(partial, failed) });
    }
  }
}

/** Sums of usage and cost over turns. */
class Tally {
  private inputTokens = 0;
  private outputTokens = 0;
  private cost: TokenCost = { cost: 0, priced: true };

  constructor(private model: string) {}

  add(turn: TurnRecord): void {
    this.inputTokens += turn.usage.inputTokens;
    this.outputTokens += turn.usage.outputTokens;
    this.model = turn.usage.model || this.model;
    this.cost = addCosts(this.cost, turn.cost);
  }

  spent(extra?: TokenUsage, extraCost?: TokenCost): { usage: TokenUsage; cost: TokenCost } {
    return {
      usage: {
        inputTokens: this.inputTokens + (extra?.inputTokens ?? 0),
        outputTokens: this.outputTokens + (extra?.outputTokens ?? 0),
        model: extra?.model || this.model,
      },
      cost: extraCost ? addCosts(this.cost, extraCost) : this.cost,
    };
  }
}

function orderedTurns(turns: TurnRecord[]): TurnRecord[] {
  const sorted = [...turns].sort((a, b) => a.step - b.step);
  sorted.forEach((turn, i) => {
    if (turn.step !== i + 1) {
      throw new NodeFailure(
        'invalid_recording',
        `recorded turns must be steps 1..${sorted.length}; found step ${turn.step} at ${i + 1}`,
      );
    }
  });
  return sorted;
}

function argumentValidators(tools: ToolDefinition[]): Map<string, ValidateFunction> {
  const validators = new Map<string, ValidateFunction>();
  for (const tool of tools) {
    if (!TOOL_NAME.test(tool.name)) {
      throw new NodeFailure('invalid_config', `tool name "${tool.name}" must be 1-64 letters, digits, _ or -`);
    }
    if (validators.has(tool.name)) throw new NodeFailure('invalid_config', `two tools are named "${tool.name}"`);
    try {
      validators.set(
        tool.name,
        createSchemaAjv(schemaDialect(tool.inputSchema), { validateSchema: false }).compile(tool.inputSchema),
      );
    } catch (e) {
      throw new NodeFailure(
        'invalid_config',
        `tool "${tool.name}" has an input schema that does not compile: ${(e as Error).message}`,
      );
    }
  }
  return validators;
}

/** Runs a turn's tool calls (at once), records each, and turns the outcomes into results for the model. */
class ToolRunner {
  private readonly maxChars: number;

  constructor(
    private readonly input: AgentLoopInput,
    private readonly validators: Map<string, ValidateFunction>,
    private readonly signal: AbortSignal,
    private readonly now: () => number,
  ) {
    this.maxChars = input.maxToolResultChars ?? DEFAULT_MAX_TOOL_RESULT_CHARS;
  }

  async resultsFor(turn: TurnRecord, recorded: ToolCallRecord[]): Promise<ToolResult[]> {
    const settled = await Promise.allSettled(
      turn.message.toolCalls.map(async (call) => {
        const done = recorded.find((r) => r.step === turn.step && r.toolCallId === call.id);
        return this.resultOf(done ?? (await this.execute(turn.step, call)));
      }),
    );
    // Every call has settled (and been recorded) before the first failure stops the loop.
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<ToolResult>).value);
  }

  private async execute(step: number, call: ToolCall): Promise<ToolCallRecord> {
    const started = this.now();
    const base = { step, toolCallId: call.id, tool: call.name, arguments: call.arguments };
    let record: ToolCallRecord;
    const refused = this.refusal(call);
    if (refused) record = { ...base, error: refused, durationMs: 0 };
    else {
      try {
        const result = await this.input.executeTool(
          { step, toolCallId: call.id, name: call.name, arguments: call.arguments },
          this.signal,
        );
        record = { ...base, result: result ?? null, durationMs: this.now() - started };
        const content = contentOf(record.result);
        if (content.length > this.maxChars) {
          record = {
            ...base,
            error: {
              code: 'tool_result_too_large',
              message: `the result has ${content.length} characters, over the limit of ${this.maxChars}`,
            },
            durationMs: record.durationMs,
          };
        }
      } catch (e) {
        if (this.signal.aborted) throw new NodeFailure('cancelled', 'the agent loop was cancelled during a tool call');
        record = { ...base, error: errorOf(e), durationMs: this.now() - started };
      }
    }
    await this.input.onToolCalled(record);
    if (record.error?.code === 'tool_result_too_large') {
      throw new NodeFailure(
        'tool_result_too_large',
        `tool "${call.name}" returned too large a result for the context: ${record.error.message}`,
      );
    }
    return record;
  }

  /** Calls the model may not make as asked: an unknown tool, or arguments that fail its schema. */
  private refusal(call: ToolCall): NodeError | undefined {
    const validate = this.validators.get(call.name);
    if (!validate) return { code: 'unknown_tool', message: `there is no tool named "${call.name}"` };
    if (call.invalidArguments !== undefined) return { code: 'invalid_arguments', message: 'the arguments are not a JSON object' };
    if (!validate(call.arguments)) {
      const why = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`).join('; ');
      return { code: 'invalid_arguments', message: `the arguments do not match the tool's input schema: ${why}` };
    }
    return undefined;
  }

  private resultOf(record: ToolCallRecord): ToolResult {
    if (record.error) {
      return { toolCallId: record.toolCallId, content: `error ${record.error.code}: ${record.error.message}`, isError: true };
    }
    return { toolCallId: record.toolCallId, content: contentOf(record.result) };
  }
}

const contentOf = (result: unknown): string => (typeof result === 'string' ? result : JSON.stringify(result ?? null));

function errorOf(e: unknown): NodeError {
  if (e instanceof NodeFailure) return e.toNodeError();
  return { code: 'tool_error', message: e instanceof Error ? e.message : String(e) };
}
