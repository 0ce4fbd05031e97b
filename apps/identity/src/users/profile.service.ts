import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type UserView, type WorkspaceView } from '@flowstack/contracts';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { User } from './user.entity';
import { toUserView } from './user.views';

/** What `identity.auth.me` answers: who the caller is and where they may work. */
export interface ProfileView {
  user: UserView;
  workspaces: WorkspaceView[];
}

@Injectable()
export class ProfileService {
  constructor(
    private readonly em: EntityManager,
    private readonly workspaces: WorkspacesService,
  ) {}

  /** Throws `FlowstackError('unauthenticated')` when the user no longer exists. */
  async profile(userId: string): Promise<ProfileView> {
    const em = this.em.fork();
    const user = await em.findOne(User, { id: userId });
    if (!user) throw new FlowstackError('unauthenticated', 'user not found');
    return { user: toUserView(user), workspaces: await this.workspaces.listForUser(em, user.id) };
  }
}
