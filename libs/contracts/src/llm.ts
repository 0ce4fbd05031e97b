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

/** One message of a conversation given to an agent (`POST /agents/{id}/invoke`, `agent_call.messages`). */
export const conversationMessageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(200_000),
});
export type ConversationMessageInput = z.infer<typeof conversationMessageSchema>;

/** A conversation that ends with the user's turn (what the model answers). */
export const conversationSchema = z
  .array(conversationMessageSchema)
  .min(1)
  .max(500)
  .superRefine((messages, ctx) => {
    const last = messages.length - 1;
    if (last >= 0 && messages[last].role !== 'user') {
      ctx.addIssue({ code: 'custom', path: [last, 'role'], message: 'the last message must be from the user' });
    }
  });

/**
 * Config of an `agent_call` node: the agent to run, its prompt template, extra tool ids on top of
 * the agent's linked tools, a step limit overriding the agent's, and an optional JSON Schema the
 * final answer must satisfy (the answer is then parsed as JSON and becomes the node's output).
 * Instead of `prompt`, `messages` may give a whole conversation (an array, or a template that
 * yields one, e.g. `{{ input.messages }}`): `system` messages join the agent's system prompt.
 */
export const agentCallConfigSchema = z
  .object({
    agentId: z.string().min(1),
    prompt: z.string().min(1).max(200_000).optional(),
    messages: z.union([z.string().min(1).max(200_000), conversationSchema]).optional(),
    tools: z.array(z.string().min(1)).max(256).optional(),
    maxSteps: z.number().int().min(1).max(100).optional(),
    outputSchema: z.union([z.record(z.string(), z.unknown()), z.boolean()]).optional(),
  })
  .refine((c) => c.prompt !== undefined || c.messages !== undefined, {
    path: ['prompt'],
    message: 'prompt (or messages) is required',
  });
export type AgentCallConfig = z.infer<typeof agentCallConfigSchema>;
