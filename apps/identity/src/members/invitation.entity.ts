import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import { ROLES } from '../workspaces/membership.entity';
import { Workspace } from '../workspaces/workspace.entity';

const STATUSES = ['pending', 'accepted', 'declined', 'revoked'] as const;

const InvitationSchema = defineEntity({
  name: 'Invitation',
  schema: 'identity',
  tableName: 'invitations',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspace: () => p.manyToOne(Workspace),
    /** Lower-cased by the request schema. */
    email: p.string(),
    role: p.enum(ROLES),
    /** SHA-256 (hex) of the token; the token itself is shown once, to the admin who invited. */
    tokenHash: p.string().hidden(),
    status: p.enum(STATUSES),
    invitedBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    answeredAt: p.datetime().nullable(),
  },
});

/** A pending (or answered) offer of a role in a workspace to whoever signs in with `email`. */
export class Invitation extends InvitationSchema.class {}
InvitationSchema.setClass(Invitation);
