/**
 * Workspaces, members and invitations (identity owns them): the request bodies the gateway parses,
 * the answers it documents, and the `Rpc.workspaces` payloads. The workspace a call acts in is the
 * caller's active one (`X-Workspace-Id`), never a body field.
 */
import { z } from 'zod';

export const ROLE_VALUES = ['admin', 'editor', 'viewer'] as const;
export const roleSchema = z.enum(ROLE_VALUES);

const workspaceName = z.string().trim().min(1, 'must not be empty').max(200);

/** `POST /workspaces`. */
export const createWorkspaceSchema = z.object({ name: workspaceName });
/** `PATCH /workspaces/{id}`. */
export const renameWorkspaceSchema = z.object({ name: workspaceName });

/** `POST /workspaces/{id}/invitations`: who is invited (trimmed, lower-cased) and as what. */
export const inviteMemberSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  role: roleSchema,
});
export type InviteMemberRequest = z.infer<typeof inviteMemberSchema>;

/** `PATCH /workspaces/{id}/members/{userId}`. */
export const changeRoleSchema = z.object({ role: roleSchema });

/** `POST /invitations/accept` and `/invitations/decline`: the token from the invitation. */
export const invitationTokenSchema = z.object({ token: z.string().min(20).max(200) });

const uuidParam = z.uuid({ message: 'must be a uuid' });
/** Ids in paths: a malformed one is a 400 with its path, before any request. */
export const memberParamsSchema = z.object({ userId: uuidParam });
export const invitationParamsSchema = z.object({ invitationId: uuidParam });

export const workspaceViewSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema.optional() });
export type WorkspaceListView = { items: z.infer<typeof workspaceViewSchema>[] };
export const workspaceListSchema = z.object({ items: z.array(workspaceViewSchema) });

export const memberViewSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string().optional(),
  role: roleSchema,
  joinedAt: z.string(),
});
export type MemberView = z.infer<typeof memberViewSchema>;
export const memberListSchema = z.object({ items: z.array(memberViewSchema) });

export const invitationViewSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.enum(['pending', 'accepted', 'declined', 'revoked']),
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type InvitationView = z.infer<typeof invitationViewSchema>;
/** The answer to an invitation: the token is in it this once (identity keeps only its hash). */
export const createdInvitationSchema = invitationViewSchema.extend({ token: z.string() });
export type CreatedInvitationView = z.infer<typeof createdInvitationSchema>;
export const invitationListSchema = z.object({ items: z.array(invitationViewSchema) });
