import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AuthFeedModule } from '../auth-feed/auth-feed.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { InvitationsService } from './invitations.service';
import { MembersHandlers } from './members.handlers';
import { MembersService } from './members.service';
import { WorkspaceAdminService } from './workspace-admin.service';

/** Workspaces a user creates and renames, their members and invitations, over `Rpc.workspaces`. */
@Module({
  imports: [AuditModule, AuthFeedModule, WorkspacesModule],
  controllers: [MembersHandlers],
  providers: [WorkspaceAdminService, MembersService, InvitationsService],
})
export class MembersModule {}
