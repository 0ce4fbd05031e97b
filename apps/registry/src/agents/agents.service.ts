import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  notFound,
  slugify,
  type AgentView,
  type CreateAgentRequest,
  type ListQuery,
  type Page,
  type UpdateAgentRequest,
} from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { assertCredentialInWorkspace } from '../common/credential-reference';
import { conflictOnUnique } from '../common/unique-conflict';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { Agent } from './agent.entity';
import { toAgentView } from './agent.views';

/** What `registry.agent.delete` answers. */
export interface DeletedAgent {
  id: string;
  deleted: true;
}

const UNIQUE_SLUG = [
  { constraint: 'agents_workspace_slug_unique', path: 'slug', message: 'an agent with this slug already exists' },
];

export const agentStreamOf = (id: string): string => `agent-${id}`;

/**
 * Agents of one workspace: CRUD with soft delete, keyset lists. A `credentialId` must name a live
 * credential of the same workspace (`validation_failed` at `credentialId` otherwise); slugs are
 * unique among live agents (`conflict` at `slug`). Another workspace's agent answers `not_found`.
 */
@Injectable()
export class AgentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async create(scope: WorkspaceScope, request: CreateAgentRequest): Promise<AgentView> {
    return conflictOnUnique(UNIQUE_SLUG, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        if (request.credentialId !== undefined) {
          await assertCredentialInWorkspace(em, scope.workspaceId, request.credentialId, 'credentialId');
        }
        const agent = em.create(Agent, {
          id: randomUUID(),
          workspaceId: scope.workspaceId,
          name: request.name,
          slug: request.slug ?? slugify(request.name),
          description: request.description ?? null,
          provider: request.provider,
          model: request.model,
          systemPrompt: request.systemPrompt ?? null,
          parameters: request.parameters,
          baseUrl: request.baseUrl ?? null,
          credentialId: request.credentialId ?? null,
          costPerRun: request.costPerRun,
          maxSteps: request.maxSteps,
        });
        await em.flush();
        await record(
          agentStreamOf(agent.id),
          scope.workspaceId,
          [
            {
              type: 'AgentCreated',
              data: { agentId: agent.id, name: agent.name, slug: agent.slug, provider: agent.provider, model: agent.model },
            },
          ],
          'no_stream',
        );
        return toAgentView(agent);
      }),
    );
  }

  async get(scope: WorkspaceScope, id: string): Promise<AgentView> {
    return toAgentView(await findLiveAgent(this.em.fork(), scope, id));
  }

  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<AgentView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Agent,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toAgentView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /** Merges the given fields (`null` clears); the merged agent must still be valid. */
  async update(scope: WorkspaceScope, id: string, changes: UpdateAgentRequest): Promise<AgentView> {
    return conflictOnUnique(UNIQUE_SLUG, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        const agent = await findLiveAgent(em, scope, id, LockMode.PESSIMISTIC_WRITE);
        if (changes.credentialId != null && changes.credentialId !== agent.credentialId) {
          await assertCredentialInWorkspace(em, scope.workspaceId, changes.credentialId, 'credentialId');
        }
        const changed = Object.keys(changes).filter((k) => changes[k as keyof UpdateAgentRequest] !== undefined);
        if (changes.name !== undefined) agent.name = changes.name;
        if (changes.slug !== undefined) agent.slug = changes.slug;
        if (changes.description !== undefined) agent.description = changes.description;
        if (changes.provider !== undefined) agent.provider = changes.provider;
        if (changes.model !== undefined) agent.model = changes.model;
        if (changes.systemPrompt !== undefined) agent.systemPrompt = changes.systemPrompt;
        if (changes.parameters !== undefined) agent.parameters = changes.parameters;
        if (changes.baseUrl !== undefined) agent.baseUrl = changes.baseUrl;
        if (changes.credentialId !== undefined) agent.credentialId = changes.credentialId;
        if (changes.costPerRun !== undefined) agent.costPerRun = changes.costPerRun;
        if (changes.maxSteps !== undefined) agent.maxSteps = changes.maxSteps;
        if (agent.provider === 'openai_compatible' && agent.baseUrl == null) {
          const message = 'openai_compatible needs a baseUrl (the server that speaks the OpenAI API)';
          throw new FlowstackError('validation_failed', `request is invalid: baseUrl ${message}`, [
            { path: 'baseUrl', message, rule: 'required' },
          ]);
        }
        await em.flush();
        await record(agentStreamOf(id), scope.workspaceId, [{ type: 'AgentUpdated', data: { agentId: id, changed } }], 'any');
        return toAgentView(agent);
      }),
    );
  }

  /** Soft delete; its links stay in the table but every read of them answers `not_found`. */
  async remove(scope: WorkspaceScope, id: string): Promise<DeletedAgent> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const agent = await findLiveAgent(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      agent.deletedAt = new Date();
      await em.flush();
      await record(agentStreamOf(id), scope.workspaceId, [{ type: 'AgentDeleted', data: { agentId: id } }], 'any');
      return { id, deleted: true };
    });
  }
}

/** A live agent of the workspace, or `not_found` (another tenant's, deleted, or not a uuid). */
export async function findLiveAgent(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Agent> {
  if (!isUuid(id)) throw notFound('agent');
  const agent = await em.findOne(Agent, { id, workspaceId: scope.workspaceId, deletedAt: null }, lockMode ? { lockMode } : {});
  if (!agent) throw notFound('agent');
  return agent;
}
