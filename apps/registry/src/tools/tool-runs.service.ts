import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { FlowstackError, type McpDiscovery, type ToolDiscoverResult, type ToolTestedPayload } from '@flowstack/contracts';
import { AuditLog, type WorkspaceScope } from '@flowstack/orm';
import { findLiveTool } from './tools.service';

/**
 * What running tools leaves in the registry: an mcp tool's discovery (the pinned definitions the
 * tool-runner checks every call against) and the audit record of every `/test` run. Each is an
 * audit event on the tool's stream (`ToolDiscovered`, `ToolTested`). The stdio switch of mcp tools
 * is a workspace setting (`mcp.stdio`, settings module).
 */
@Injectable()
export class ToolRunsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async recordDiscovery(scope: WorkspaceScope, id: string, discovery: McpDiscovery): Promise<ToolDiscoverResult> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const tool = await findLiveTool(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (tool.kind !== 'mcp')
        throw new FlowstackError('conflict', `tool "${tool.name}" is of kind ${tool.kind}: only mcp tools are discovered`);
      const previousHash = tool.mcpDiscovery?.hash;
      tool.mcpDiscovery = discovery;
      await em.flush();
      await record(
        `tool-${id}`,
        scope.workspaceId,
        [
          {
            type: 'ToolDiscovered',
            data: {
              toolId: id,
              hash: discovery.hash,
              previousHash: previousHash ?? null,
              tools: discovery.tools.map((t) => t.name),
            },
          },
        ],
        'any',
      );
      return { toolId: id, ...discovery, ...(previousHash ? { previousHash } : {}), changed: previousHash !== discovery.hash };
    });
  }

  /** The audit record of a `/test` run: who ran which tool when, and how it ended (no arguments, no output). */
  async recordTest(scope: WorkspaceScope, payload: ToolTestedPayload): Promise<{ recorded: true }> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      await findLiveTool(em, scope, payload.id);
      await record(
        `tool-${payload.id}`,
        scope.workspaceId,
        [
          {
            type: 'ToolTested',
            data: {
              toolId: payload.id,
              ok: payload.ok === true,
              errorCode: payload.errorCode ?? null,
              durationMs: payload.durationMs,
              mcpTool: payload.mcpTool ?? null,
            },
          },
        ],
        'any',
      );
      return { recorded: true as const };
    });
  }
}
