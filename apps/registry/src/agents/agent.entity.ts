import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import type { LlmProviderName } from '@flowstack/contracts';

/** Sampling parameters as stored (`agentParametersSchema`). */
export interface StoredAgentParameters {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
}

const AgentSchema = defineEntity({
  name: 'Agent',
  schema: 'registry',
  tableName: 'agents',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    name: p.string(),
    slug: p.string(),
    description: p.text().nullable(),
    provider: p.string().$type<LlmProviderName>(),
    model: p.string(),
    systemPrompt: p.text().nullable(),
    parameters: p.json<StoredAgentParameters>(),
    baseUrl: p.text().nullable(),
    credentialId: p.uuid().nullable(),
    costPerRun: p.bigint('number'),
    maxSteps: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate((a: { createdAt?: Date }) => a.createdAt ?? new Date())
      .onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

/** An LLM with its prompt, parameters, credential and limits. */
export class Agent extends AgentSchema.class {}
AgentSchema.setClass(Agent);
