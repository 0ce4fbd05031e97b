import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WorkspaceView } from '@flowstack/contracts';
import type { User } from '../users/user.entity';
import { Membership } from './membership.entity';
import { Workspace } from './workspace.entity';

/** Workspaces and memberships, always used inside a caller's unit of work (`em`). */
@Injectable()
export class WorkspacesService {
  /** Creates a workspace with `owner` as its admin; persisted by the caller's flush. */
  createOwned(em: EntityManager, owner: User, name: string): { workspace: Workspace; membership: Membership } {
    const workspace = em.create(Workspace, { name });
    const membership = em.create(Membership, { workspace, user: owner, role: 'admin' });
    return { workspace, membership };
  }

  /** The workspaces a user belongs to, oldest membership first, with the user's role in each. */
  async listForUser(em: EntityManager, userId: string): Promise<WorkspaceView[]> {
    const memberships = await em.find(
      Membership,
      { user: userId },
      { populate: ['workspace'], orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    );
    return memberships.map((m) => ({ id: m.workspace.id, name: m.workspace.name, role: m.role }));
  }
}
