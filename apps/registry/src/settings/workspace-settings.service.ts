import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  DEFAULT_WORKSPACE_SETTINGS,
  FlowstackError,
  type UpdateWorkspaceSettingsRequest,
  type WorkspaceSettings,
} from '@flowstack/contracts';
import { AuditLog, type WorkspaceScope } from '@flowstack/orm';
import { WorkspaceSettingsRow } from './workspace-settings.entity';

// Category `settings` (the stream id's prefix): `workspace-` streams are identity's.
const streamOf = (workspaceId: string): string => `settings-${workspaceId}`;

/**
 * A workspace's switches (python and shell tools, their network; stdio MCP servers). Reads answer the defaults
 * (everything off) until an admin changes something; each change is one `WorkspaceSettingsChanged`
 * event with the fields it set, so the audit log shows who enabled what and when.
 */
@Injectable()
export class WorkspaceSettingsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async get(scope: WorkspaceScope): Promise<WorkspaceSettings> {
    return toView(await this.em.fork().findOne(WorkspaceSettingsRow, { workspaceId: scope.workspaceId }));
  }

  async update(scope: WorkspaceScope, changes: UpdateWorkspaceSettingsRequest): Promise<WorkspaceSettings> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      // The row is created on the first change: lock it if it exists, and let a concurrent first
      // change lose on the primary key and retry (rare; admins click).
      let row = await em.findOne(
        WorkspaceSettingsRow,
        { workspaceId: scope.workspaceId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      const current = toView(row);
      const next = {
        sandboxedTools: { ...current.sandboxedTools, ...definedOnly(changes.sandboxedTools ?? {}) },
        mcp: { ...current.mcp, ...definedOnly(changes.mcp ?? {}) },
      };
      if (row) row.settings = next;
      else row = em.create(WorkspaceSettingsRow, { workspaceId: scope.workspaceId, settings: next });
      await em.flush();
      await record(
        streamOf(scope.workspaceId),
        scope.workspaceId,
        [{ type: 'WorkspaceSettingsChanged', data: { changes } }],
        'any',
      );
      return toView(row);
    });
  }

  /**
   * Refuses a python or shell tool while its kind is off in the workspace: `forbidden` (403) with
   * rule `sandboxed_tool_disabled` at `kind`, which says what an admin turns on.
   */
  async assertKindEnabled(em: EntityManager, workspaceId: string, kind: string): Promise<void> {
    if (kind !== 'python' && kind !== 'shell') return;
    const settings = toView(await em.findOne(WorkspaceSettingsRow, { workspaceId }));
    if (settings.sandboxedTools[kind]) return;
    throw new FlowstackError(
      'forbidden',
      `${kind} tools are disabled in this workspace; an admin enables them with PUT /api/v1/workspaces/{id}/settings {"sandboxedTools":{"${kind}":true}}`,
      [{ path: 'kind', rule: 'sandboxed_tool_disabled', message: `${kind} tools are disabled in this workspace` }],
    );
  }
}

function toView(row: WorkspaceSettingsRow | null): WorkspaceSettings {
  const stored = (row?.settings ?? {}) as Partial<WorkspaceSettings>;
  return {
    sandboxedTools: { ...DEFAULT_WORKSPACE_SETTINGS.sandboxedTools, ...(stored.sandboxedTools ?? {}) },
    mcp: { ...DEFAULT_WORKSPACE_SETTINGS.mcp, ...(stored.mcp ?? {}) },
    updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
  };
}

const definedOnly = <T extends Record<string, unknown>>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
