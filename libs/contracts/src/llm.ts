/**
 * LLM shapes that cross process boundaries: the provider names an agent may use (registry, tool-runner,
 * billing's pricing), token usage as recorded in events, and the `agent_call` node's config.
 */
import { z } from 'zod';

/** The providers an agent may name. `glm` and `openai_compatible` speak the OpenAI wire protocol. */
export const LLM_PROVIDERS = ['anthropic', 'openai', 'glm', 'openai_compatible'] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

/** Tokens one LLM call (or a sum of calls) used, and the model that answered. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  model: string;
}

/**
 * Config of an `agent_call` node: the agent to run, its prompt template, extra tool ids on top of
 * the agent's linked tools, a step limit overriding the agent's, and an optional JSON Schema the
 * final answer must satisfy (the answer is then parsed as JSON and becomes the node's output).
 */
export const agentCallConfigSchema = z.object({
  agentId: z.string().min(1),
  prompt: z.string().min(1).max(200_000),
  tools: z.array(z.string().min(1)).max(256).optional(),
  maxSteps: z.number().int().min(1).max(100).optional(),
  outputSchema: z.union([z.record(z.string(), z.unknown()), z.boolean()]).optional(),
});
export type AgentCallConfig = z.infer<typeof agentCallConfigSchema>;
