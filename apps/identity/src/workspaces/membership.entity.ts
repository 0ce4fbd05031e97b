import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity';
import { Workspace } from './workspace.entity';

/** The roles of ARCHITECTURE.md section 7: viewers read, editors build and run, admins manage. */
export const ROLES = ['admin', 'editor', 'viewer'] as const;

const MembershipSchema = defineEntity({
  name: 'Membership',
  schema: 'identity',
  tableName: 'memberships',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspace: () => p.manyToOne(Workspace),
    user: () => p.manyToOne(User),
    role: p.enum(ROLES),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  // (user, workspace) is unique in the database; the same index answers "which workspaces may this
  // user act in", the lookup behind every authenticated call.
  uniques: [{ properties: ['user', 'workspace'] }],
});

/** A user's role in one workspace. */
export class Membership extends MembershipSchema.class {}
MembershipSchema.setClass(Membership);
