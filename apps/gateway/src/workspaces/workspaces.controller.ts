import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  Rpc,
  changeRoleSchema,
  createWorkspaceSchema,
  invitationParamsSchema,
  invitationTokenSchema,
  inviteMemberSchema,
  memberParamsSchema,
  parseRequest,
  renameWorkspaceSchema,
  type CreatedInvitationView,
  type InvitationView,
  type MemberView,
  type RequestContext,
  type WorkspaceView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { WorkspaceFromPath } from '../auth/workspace-from-path.decorator';

/**
 * `/api/v1/workspaces`: the caller's workspaces, and under `/{id}` one of them (acting in it with
 * the caller's role there, whatever `X-Workspace-Id` the other routes use) with its members and
 * invitations. Roles: `ACCESS_POLICY`.
 */
@Controller('api/v1/workspaces')
export class WorkspacesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  listMine(@Ctx() ctx: RequestContext): Promise<{ items: WorkspaceView[] }> {
    return this.rpc.request(Rpc.workspaces.listMine, {}, ctx);
  }

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return this.rpc.request(Rpc.workspaces.create, parseRequest(createWorkspaceSchema, body), ctx);
  }

  @Patch(':id')
  @WorkspaceFromPath()
  rename(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return this.rpc.request(Rpc.workspaces.rename, parseRequest(renameWorkspaceSchema, body), ctx);
  }

  @Get(':id/members')
  @WorkspaceFromPath()
  members(@Ctx() ctx: RequestContext): Promise<{ items: MemberView[] }> {
    return this.rpc.request(Rpc.workspaces.memberList, {}, ctx);
  }

  @Patch(':id/members/:userId')
  @WorkspaceFromPath()
  changeRole(@Param('userId') userId: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<MemberView> {
    const params = parseRequest(memberParamsSchema, { userId });
    return this.rpc.request(Rpc.workspaces.memberChangeRole, { ...parseRequest(changeRoleSchema, body), ...params }, ctx);
  }

  @Delete(':id/members/:userId')
  @WorkspaceFromPath()
  @HttpCode(204)
  async removeMember(@Param('userId') userId: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.workspaces.memberRemove, parseRequest(memberParamsSchema, { userId }), ctx);
  }

  @Post(':id/invitations')
  @WorkspaceFromPath()
  invite(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CreatedInvitationView> {
    return this.rpc.request(Rpc.workspaces.invitationCreate, parseRequest(inviteMemberSchema, body), ctx);
  }

  @Get(':id/invitations')
  @WorkspaceFromPath()
  invitations(@Ctx() ctx: RequestContext): Promise<{ items: InvitationView[] }> {
    return this.rpc.request(Rpc.workspaces.invitationList, {}, ctx);
  }

  @Delete(':id/invitations/:invitationId')
  @WorkspaceFromPath()
  @HttpCode(204)
  async revokeInvitation(@Param('invitationId') invitationId: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.workspaces.invitationRevoke, parseRequest(invitationParamsSchema, { invitationId }), ctx);
  }
}

/** `/api/v1/invitations`: the invited person, signed in with the invited email, answers with the token. */
@Controller('api/v1/invitations')
export class InvitationsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('accept')
  @HttpCode(200)
  accept(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkspaceView> {
    return this.rpc.request(Rpc.workspaces.invitationAccept, parseRequest(invitationTokenSchema, body), ctx);
  }

  @Post('decline')
  @HttpCode(204)
  async decline(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.workspaces.invitationDecline, parseRequest(invitationTokenSchema, body), ctx);
  }
}
