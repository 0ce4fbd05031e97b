/**
 * A workspace's settings (the registry keeps them): switches an admin turns on for features that
 * are off by default. `GET /api/v1/workspaces/{id}/settings` answers them all;
 * `PUT /api/v1/workspaces/{id}/settings` changes the fields it gives (admins only, audited as
 * `WorkspaceSettingsChanged`). New switches are new optional groups here.
 */
import { z } from 'zod';

/** `python` and `shell` tools, and whether such a tool may ask for the network (`config.network`). */
export const sandboxedToolsSettingsSchema = z.object({
  python: z.boolean(),
  shell: z.boolean(),
  network: z.boolean(),
});

/** MCP tools: whether they may start `stdio` servers (also needs the deployment's `MCP_STDIO_ALLOWLIST`). */
export const mcpSettingsSchema = z.object({
  stdio: z.boolean(),
});

export const workspaceSettingsSchema = z.object({
  sandboxedTools: sandboxedToolsSettingsSchema,
  mcp: mcpSettingsSchema,
  updatedAt: z.string().nullable(),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/** What a workspace that never changed a setting has: everything off. */
export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = {
  sandboxedTools: { python: false, shell: false, network: false },
  mcp: { stdio: false },
  updatedAt: null,
};

/** `PUT /workspaces/{id}/settings`: the fields given change, the others stay. */
export const updateWorkspaceSettingsSchema = z
  .strictObject({
    sandboxedTools: z
      .strictObject({ python: z.boolean().optional(), shell: z.boolean().optional(), network: z.boolean().optional() })
      .optional(),
    mcp: z.strictObject({ stdio: z.boolean().optional() }).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateWorkspaceSettingsRequest = z.infer<typeof updateWorkspaceSettingsSchema>;
