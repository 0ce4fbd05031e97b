/**
 * `POST /api/v1/agents/{id}/invoke`: one call to an agent that is still an execution (an implicit
 * one-node workflow: an `agent_call` node over the request's messages), audited and costed like
 * any other. The execution's `workflowId` is `agent:<agentId>` and its `workflowVersion` 0.
 */
import { z } from 'zod';
import { conversationSchema, type ConversationMessageInput } from './llm';

export const agentInvokeSchema = z.strictObject({
  /** The conversation; it ends with the user's message. `system` messages join the agent's system prompt. */
  messages: conversationSchema,
  /** `true`: answer Server-Sent Events (tokens as they come, then the final message and usage). */
  stream: z.boolean().optional(),
});
export type AgentInvokeRequest = z.infer<typeof agentInvokeSchema>;

const usageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), model: z.string() });

/** The JSON answer of an invoke (and the data of its SSE `done` event). */
export const agentInvokeResultSchema = z.object({
  executionId: z.string(),
  status: z.enum(['completed', 'failed', 'cancelled']),
  /** The agent's final answer (absent when it failed). */
  message: z.object({ role: z.literal('assistant'), content: z.string() }).optional(),
  usage: usageSchema,
  /** Credits (micro-units) the execution cost: its `totalCost`. */
  cost: z.number(),
  steps: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type AgentInvokeResult = z.infer<typeof agentInvokeResultSchema>;

/** `orchestrator.agent.invoke`: gateway -> orchestrator. The gateway picks the id so it can watch before the start. */
export interface AgentInvokeStartPayload {
  executionId: string;
  agentId: string;
  /** The agent's name, as the node's label. */
  label?: string;
  messages: ConversationMessageInput[];
}

/** The node id of an invoke's one `agent_call` node. */
export const INVOKE_NODE_ID = 'agent';

/** The `workflowId` an invoke's execution carries. */
export const invokeWorkflowId = (agentId: string): string => `agent:${agentId}`;
