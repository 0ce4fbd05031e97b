import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
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
} from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { InvitationsService } from './invitations.service';
import { MembersService } from './members.service';
import { WorkspaceAdminService } from './workspace-admin.service';

const changeRolePayload = memberParamsSchema.extend(changeRoleSchema.shape);

/** Answers `Rpc.workspaces.*`: parse, call, return. The workspace is always the context's. */
@Controller()
export class MembersHandlers {
  constructor(
    private readonly workspaces: WorkspaceAdminService,
    private readonly members: MembersService,
    private readonly invitations: InvitationsService,
  ) {}

  @MessagePattern(Rpc.workspaces.create)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workspaces.create(ctx.requestContext, parseRequest(createWorkspaceSchema, body).name);
  }

  @MessagePattern(Rpc.workspaces.listMine)
  listMine(@Ctx() ctx: RpcContext) {
    return this.workspaces.listMine(ctx.requestContext);
  }

  @MessagePattern(Rpc.workspaces.rename)
  rename(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.workspaces.rename(ctx.requestContext, parseRequest(renameWorkspaceSchema, body).name);
  }

  @MessagePattern(Rpc.workspaces.memberList)
  memberList(@Ctx() ctx: RpcContext) {
    return this.members.list(ctx.requestContext);
  }

  @MessagePattern(Rpc.workspaces.memberChangeRole)
  changeRole(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { userId, role } = parseRequest(changeRolePayload, body);
    return this.members.changeRole(ctx.requestContext, userId, role);
  }

  @MessagePattern(Rpc.workspaces.memberRemove)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.members.remove(ctx.requestContext, parseRequest(memberParamsSchema, body).userId);
  }

  @MessagePattern(Rpc.workspaces.invitationCreate)
  invite(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.invitations.create(ctx.requestContext, parseRequest(inviteMemberSchema, body));
  }

  @MessagePattern(Rpc.workspaces.invitationList)
  invitationList(@Ctx() ctx: RpcContext) {
    return this.invitations.list(ctx.requestContext);
  }

  @MessagePattern(Rpc.workspaces.invitationRevoke)
  revokeInvitation(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.invitations.revoke(ctx.requestContext, parseRequest(invitationParamsSchema, body).invitationId);
  }

  @MessagePattern(Rpc.workspaces.invitationAccept)
  accept(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.invitations.accept(ctx.requestContext, parseRequest(invitationTokenSchema, body).token);
  }

  @MessagePattern(Rpc.workspaces.invitationDecline)
  decline(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.invitations.decline(ctx.requestContext, parseRequest(invitationTokenSchema, body).token);
  }
}
