import { z } from 'zod';

/** `identity.auth.resolve`: the gateway forwards the bearer token and `X-Workspace-Id`, if any. */
export const resolveRequestSchema = z.object({
  token: z.string().min(1).max(8192),
  /** Empty means absent: the gateway may forward an empty header as is. */
  workspaceId: z.string().max(100).optional(),
});

/** `identity.auth.logout`. */
export const logoutRequestSchema = z.object({
  token: z.string().min(1).max(8192),
});
