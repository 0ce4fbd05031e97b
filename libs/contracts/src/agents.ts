/**
 * Agents: an LLM (provider, model, base URL, credential) with its prompt and limits, and the
 * tools linked to it. Shapes of the registry's `registry.agent.*` subjects and of
 * `/api/v1/agents`; the registry checks what needs the database (the credential, the slug).
 */
import { z } from 'zod';
import { LLM_PROVIDERS } from './llm';

/** URL-safe, unique among the workspace's live agents. */
export const agentSlugSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters and digits in words joined by single hyphens');

/** `agent-slug` from any name: lower case, runs of anything else one hyphen, at most 64 characters. */
export const slugify = (name: string): string =>
  name
    .normalize('NFKD')
    // Accents go (é -> e), so a name in any Latin script keeps its letters.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '') || 'agent';

/** An http(s) URL without credentials in it (those belong in a credential). */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an absolute http: or https: URL without user:password');

/** Sampling parameters passed to the provider as given; absent ones are the provider's defaults. */
export const agentParametersSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z.array(z.string().min(1).max(256)).max(16).optional(),
});

export const DEFAULT_AGENT_MAX_STEPS = 10;
export const MAX_AGENT_MAX_STEPS = 200;

const agentFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000),
  provider: z.enum(LLM_PROVIDERS),
  model: z.string().trim().min(1).max(200),
  systemPrompt: z.string().max(200_000),
  parameters: agentParametersSchema,
  baseUrl: httpUrlSchema,
  credentialId: z.uuid('must be the id (uuid) of a credential of this workspace'),
  /** Added to every run's cost, in micro-credits. */
  costPerRun: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  maxSteps: z.number().int().min(1).max(MAX_AGENT_MAX_STEPS),
};

const needsBaseUrl = { path: ['baseUrl'], message: 'openai_compatible needs a baseUrl (the server that speaks the OpenAI API)' };

/** `POST /api/v1/agents`. `slug` defaults to `slugify(name)`. */
export const createAgentSchema = z
  .strictObject({
    name: agentFields.name,
    slug: agentSlugSchema.optional(),
    description: agentFields.description.optional(),
    provider: agentFields.provider,
    model: agentFields.model,
    systemPrompt: agentFields.systemPrompt.optional(),
    parameters: agentFields.parameters.default({}),
    baseUrl: agentFields.baseUrl.optional(),
    credentialId: agentFields.credentialId.optional(),
    costPerRun: agentFields.costPerRun.default(0),
    maxSteps: agentFields.maxSteps.default(DEFAULT_AGENT_MAX_STEPS),
  })
  .refine((a) => a.provider !== 'openai_compatible' || a.baseUrl !== undefined, needsBaseUrl);
export type CreateAgentRequest = z.infer<typeof createAgentSchema>;

/**
 * `PATCH /api/v1/agents/{id}`: only the fields given change; `null` clears an optional one
 * (`description`, `systemPrompt`, `baseUrl`, `credentialId`). `parameters` is replaced whole.
 * The merged agent is checked again (an `openai_compatible` agent keeps a `baseUrl`).
 */
export const updateAgentSchema = z
  .strictObject({
    name: agentFields.name.optional(),
    slug: agentSlugSchema.optional(),
    description: agentFields.description.nullable().optional(),
    provider: agentFields.provider.optional(),
    model: agentFields.model.optional(),
    systemPrompt: agentFields.systemPrompt.nullable().optional(),
    parameters: agentFields.parameters.optional(),
    baseUrl: agentFields.baseUrl.nullable().optional(),
    credentialId: agentFields.credentialId.nullable().optional(),
    costPerRun: agentFields.costPerRun.optional(),
    maxSteps: agentFields.maxSteps.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateAgentRequest = z.infer<typeof updateAgentSchema>;

export const agentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  description: z.string().optional(),
  provider: z.enum(LLM_PROVIDERS),
  model: z.string(),
  systemPrompt: z.string().optional(),
  parameters: agentParametersSchema,
  baseUrl: z.string().optional(),
  credentialId: z.string().optional(),
  costPerRun: z.number().int(),
  maxSteps: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

/** `POST /api/v1/agents/{id}/tools`. */
export const linkAgentToolSchema = z.strictObject({ toolId: z.string().min(1).max(200) });
