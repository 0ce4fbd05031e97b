import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type RequestContext, type WorkspaceView } from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { lockMembersAsAdmin, userOf, workspaceOf } from './workspace-access';

/** Workspaces as a user sees them: create one (its admin), list mine, rename (admins). */
@Injectable()
export class WorkspaceAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly workspaces: WorkspacesService,
    private readonly feed: AuthFeedPublisher,
  ) {}

  /** A new workspace with the caller as its only admin (on every gateway before this answers). */
  async create(ctx: RequestContext, name: string): Promise<WorkspaceView> {
    const userId = userOf(ctx);
    const workspace = await this.audit.transaction(ctx, async (em, record) => {
      const user = await em.findOne(User, { id: userId });
      if (!user) throw new FlowstackError('unauthenticated', 'user not found');
      const { workspace } = this.workspaces.createOwned(em, user, name);
      await em.flush();
      await record(
        `workspace-${workspace.id}`,
        workspace.id,
        [
          { type: 'WorkspaceCreated', data: { workspaceId: workspace.id, name, ownerId: userId } },
          { type: 'MemberAdded', data: { workspaceId: workspace.id, userId, role: 'admin' } },
        ],
        'no_stream',
      );
      return workspace;
    });
    await this.feed.membershipChanged(userId, workspace.id, 'admin');
    return { id: workspace.id, name: workspace.name, role: 'admin' };
  }

  async listMine(ctx: RequestContext): Promise<{ items: WorkspaceView[] }> {
    return { items: await this.workspaces.listForUser(this.em.fork(), userOf(ctx)) };
  }

  /** Admins only (checked again here, under the members' lock). */
  async rename(ctx: RequestContext, name: string): Promise<WorkspaceView> {
    const workspaceId = workspaceOf(ctx);
    return this.audit.transaction(ctx, async (em, record) => {
      await lockMembersAsAdmin(em, ctx);
      const workspace = await em.findOne(Workspace, { id: workspaceId });
      if (!workspace) throw new FlowstackError('not_found', 'workspace not found');
      const from = workspace.name;
      if (from !== name) {
        workspace.name = name;
        await em.flush();
        await record(
          `workspace-${workspaceId}`,
          workspaceId,
          [{ type: 'WorkspaceRenamed', data: { workspaceId, from, to: name } }],
          'any',
        );
      }
      return { id: workspace.id, name: workspace.name, role: 'admin' };
    });
  }
}
