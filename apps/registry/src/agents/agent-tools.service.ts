import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { FlowstackError, type AgentToolView, type ListQuery, type Page } from '@flowstack/contracts';
import { PageBudget } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { conflictOnUnique } from '../common/unique-conflict';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { AgentTool, Tool } from '../tools/tool.entity';
import { findLiveTool } from '../tools/tools.service';
import { toAgentToolView } from '../tools/tool.views';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { agentStreamOf, findLiveAgent } from './agents.service';

/** What `registry.agent.tool.unlink` answers. */
export interface UnlinkedTool {
  agentId: string;
  toolId: string;
  unlinked: true;
}

const UNIQUE_LINK = [{ constraint: 'agent_tools_pkey', path: 'toolId', message: 'this tool is already linked to the agent' }];

/**
 * The tools an agent offers its model: any number of them, each once (`conflict` at `toolId` for
 * a second link). Both ends must be live and of the caller's workspace (`not_found` naming
 * `agent` or `tool` otherwise). Links are events on the agent's stream.
 */
@Injectable()
export class AgentToolsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async link(scope: WorkspaceScope, agentId: string, toolId: string): Promise<AgentToolView> {
    return conflictOnUnique(UNIQUE_LINK, () =>
      this.audit.transaction(scope.ctx, async (em, record) => {
        // The share lock on the agent orders a link against the agent's delete.
        await findLiveAgent(em, scope, agentId, LockMode.PESSIMISTIC_READ);
        const tool = await findLiveTool(em, scope, toolId, LockMode.PESSIMISTIC_READ);
        const link = em.create(AgentTool, { agentId, toolId, workspaceId: scope.workspaceId, createdAt: new Date() });
        await em.flush();
        await record(agentStreamOf(agentId), scope.workspaceId, [{ type: 'AgentToolLinked', data: { agentId, toolId } }], 'any');
        return toAgentToolView(tool, link.createdAt);
      }),
    );
  }

  async unlink(scope: WorkspaceScope, agentId: string, toolId: string): Promise<UnlinkedTool> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      await findLiveAgent(em, scope, agentId, LockMode.PESSIMISTIC_READ);
      const removed = isUuid(toolId) ? await em.nativeDelete(AgentTool, { agentId, toolId, workspaceId: scope.workspaceId }) : 0;
      if (removed === 0) throw new FlowstackError('not_found', 'the tool is not linked to this agent');
      await record(agentStreamOf(agentId), scope.workspaceId, [{ type: 'AgentToolUnlinked', data: { agentId, toolId } }], 'any');
      return { agentId, toolId, unlinked: true };
    });
  }

  /** Newest link first, keyset-paginated on (linkedAt, toolId); deleted tools are left out. */
  async list(scope: WorkspaceScope, agentId: string, query: ListQuery): Promise<Page<AgentToolView>> {
    const em = this.em.fork();
    await findLiveAgent(em, scope, agentId);
    return this.page(em, scope, agentId, query);
  }

  /** A page of `list` for an agent the caller has just found live (no check of its own). */
  async page(em: EntityManager, scope: WorkspaceScope, agentId: string, query: ListQuery): Promise<Page<AgentToolView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const links = await em.execute<{ tool_id: string; created_at: Date | string }[]>(
      `select l.tool_id, l.created_at from registry.agent_tools l
         join registry.tools t on t.id = l.tool_id and t.deleted_at is null and t.workspace_id = l.workspace_id
        where l.agent_id = ? and l.workspace_id = ?
          ${after ? 'and (l.created_at, l.tool_id) < (?, ?)' : ''}
        order by l.created_at desc, l.tool_id desc limit ?`,
      [agentId, scope.workspaceId, ...(after ? [after.createdAt, after.id] : []), query.limit + 1],
      'all',
    );
    const page = links.slice(0, query.limit);
    const tools = new Map((await em.find(Tool, { id: { $in: page.map((l) => l.tool_id) } })).map((t) => [t.id, t]));
    const budget = new PageBudget();
    const items: AgentToolView[] = [];
    for (const l of page) {
      const tool = tools.get(l.tool_id);
      if (!tool) continue;
      const view = toAgentToolView(tool, new Date(l.created_at));
      if (!budget.admit(Buffer.byteLength(JSON.stringify(view)))) break;
      items.push(view);
    }
    const last = items.at(-1);
    const more = budget.full || links.length > query.limit;
    return { items, nextCursor: more && last ? encodeCursor({ createdAt: new Date(last.linkedAt), id: last.id }) : null };
  }
}
