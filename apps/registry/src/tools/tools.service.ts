import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  notFound,
  toolModelName,
  type CreateToolRequest,
  type ListQuery,
  type Page,
  type ToolView,
  type UpdateToolRequest,
} from '@flowstack/contracts';
import { PageBudget } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { assertCredentialInWorkspace } from '../common/credential-reference';
import { conflictOnUnique } from '../common/unique-conflict';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { checkedInputSchema, checkedToolConfig } from './tool-definition.check';
import { Tool } from './tool.entity';
import { WorkspaceSettingsService } from '../settings/workspace-settings.service';
import { toToolView } from './tool.views';

/** What `registry.tool.delete` answers. */
export interface DeletedTool {
  id: string;
  deleted: true;
}

export const UNIQUE_TOOL_NAME = [
  {
    constraint: 'tools_workspace_model_name_unique',
    path: 'name',
    message: 'a tool with this name (as the model sees it) already exists',
  },
];

const streamOf = (id: string): string => `tool-${id}`;

/** The credential an mcp tool's config names, kept in a column of its own. */
const credentialOf = (config: Record<string, unknown>): string | null =>
  typeof config.credentialId === 'string' ? config.credentialId : null;

/**
 * Tools of one workspace: `config` is checked against the schema of its kind, `inputSchema` with
 * the platform's JSON Schema rules, an mcp tool's `config.credentialId` against the workspace's
 * credentials. The name the model sees (`modelName`) is unique among live tools (`conflict` at
 * `name`), which makes it unique in every agent's tool list too.
 */
@Injectable()
export class ToolsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly settings: WorkspaceSettingsService,
  ) {}

  async create(scope: WorkspaceScope, request: CreateToolRequest): Promise<ToolView> {
    const config = checkedToolConfig(request.kind, request.config);
    const inputSchema = checkedInputSchema(request.inputSchema);
    return conflictOnUnique(UNIQUE_TOOL_NAME, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        await this.settings.assertKindEnabled(em, scope.workspaceId, request.kind);
        const credentialId = credentialOf(config);
        if (credentialId) await assertCredentialInWorkspace(em, scope.workspaceId, credentialId, 'config.credentialId');
        const tool = em.create(Tool, {
          id: randomUUID(),
          workspaceId: scope.workspaceId,
          name: request.name,
          modelName: toolModelName(request.name),
          description: request.description ?? null,
          kind: request.kind,
          config,
          inputSchema,
          credentialId,
        });
        await em.flush();
        await record(
          streamOf(tool.id),
          scope.workspaceId,
          [{ type: 'ToolCreated', data: { toolId: tool.id, name: tool.name, modelName: tool.modelName, kind: tool.kind } }],
          'no_stream',
        );
        return toToolView(tool);
      }),
    );
  }

  async get(scope: WorkspaceScope, id: string): Promise<ToolView> {
    return toToolView(await findLiveTool(this.em.fork(), scope, id));
  }

  /** Newest first; pages are byte-budgeted like workflows' (configs and schemas can be large). */
  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<ToolView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Tool,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const budget = new PageBudget();
    const items: ToolView[] = [];
    for (const tool of rows.slice(0, query.limit)) {
      const view = toToolView(tool);
      if (!budget.admit(Buffer.byteLength(JSON.stringify(view)))) break;
      items.push(view);
    }
    const last = items.length > 0 ? rows[items.length - 1] : undefined;
    const more = budget.full || rows.length > query.limit;
    return { items, nextCursor: more && last ? encodeCursor(last) : null };
  }

  async update(scope: WorkspaceScope, id: string, changes: UpdateToolRequest): Promise<ToolView> {
    const inputSchema = changes.inputSchema === undefined ? undefined : checkedInputSchema(changes.inputSchema);
    return conflictOnUnique(UNIQUE_TOOL_NAME, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        const tool = await findLiveTool(em, scope, id, LockMode.PESSIMISTIC_WRITE);
        if (changes.config !== undefined) {
          const kind = changes.kind ?? tool.kind;
          await this.settings.assertKindEnabled(em, scope.workspaceId, kind);
          const config = checkedToolConfig(kind, changes.config);
          const credentialId = credentialOf(config);
          if (credentialId && credentialId !== tool.credentialId) {
            await assertCredentialInWorkspace(em, scope.workspaceId, credentialId, 'config.credentialId');
          }
          tool.kind = kind;
          tool.config = config;
          tool.credentialId = credentialId;
          // Pins of another server (or of none) mean nothing now: discover again.
          tool.mcpDiscovery = null;
        }
        if (changes.name !== undefined) {
          tool.name = changes.name;
          tool.modelName = toolModelName(changes.name);
        }
        if (changes.description !== undefined) tool.description = changes.description;
        if (inputSchema !== undefined) tool.inputSchema = inputSchema;
        const changed = Object.keys(changes).filter((k) => changes[k as keyof UpdateToolRequest] !== undefined);
        await em.flush();
        await record(streamOf(id), scope.workspaceId, [{ type: 'ToolUpdated', data: { toolId: id, changed } }], 'any');
        return toToolView(tool);
      }),
    );
  }

  /** Soft delete; agents it was linked to no longer list it or offer it to their model. */
  async remove(scope: WorkspaceScope, id: string): Promise<DeletedTool> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const tool = await findLiveTool(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      tool.deletedAt = new Date();
      await em.flush();
      await record(streamOf(id), scope.workspaceId, [{ type: 'ToolDeleted', data: { toolId: id } }], 'any');
      return { id, deleted: true };
    });
  }
}

/** A live tool of the workspace, or `not_found`. */
export async function findLiveTool(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Tool> {
  if (!isUuid(id)) throw notFound('tool');
  const tool = await em.findOne(Tool, { id, workspaceId: scope.workspaceId, deletedAt: null }, lockMode ? { lockMode } : {});
  if (!tool) throw notFound('tool');
  return tool;
}
