import { defineEntity, p } from '@mikro-orm/postgresql';

const WorkspaceSettingsSchema = defineEntity({
  name: 'WorkspaceSettingsRow',
  schema: 'registry',
  tableName: 'workspace_settings',
  properties: {
    workspaceId: p.uuid().primary(),
    /** `WorkspaceSettings` without `updatedAt`; groups missing here take their defaults when read. */
    settings: p.json<Record<string, unknown>>(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

/** A workspace's switches (a row exists once an admin changed one). */
export class WorkspaceSettingsRow extends WorkspaceSettingsSchema.class {}
WorkspaceSettingsSchema.setClass(WorkspaceSettingsRow);
