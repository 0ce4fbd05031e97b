import type { AgentView } from '@flowstack/contracts';
import type { Agent } from './agent.entity';

export const toAgentView = (a: Agent): AgentView => ({
  id: a.id,
  name: a.name,
  slug: a.slug,
  ...(a.description != null ? { description: a.description } : {}),
  provider: a.provider,
  model: a.model,
  ...(a.systemPrompt != null ? { systemPrompt: a.systemPrompt } : {}),
  parameters: a.parameters,
  ...(a.baseUrl != null ? { baseUrl: a.baseUrl } : {}),
  ...(a.credentialId != null ? { credentialId: a.credentialId } : {}),
  costPerRun: a.costPerRun,
  maxSteps: a.maxSteps,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
