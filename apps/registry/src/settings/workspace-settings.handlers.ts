import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FlowstackError, parseRequest, Rpc, updateWorkspaceSettingsSchema, type RequestContext } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, type WorkspaceScope } from '@flowstack/orm';
import { WorkspaceSettingsService } from './workspace-settings.service';

/** Only admins change settings; the gateway checks too, this keeps other bus callers honest. */
function adminScope(ctx: RequestContext): WorkspaceScope {
  const scope = readScope(ctx);
  if (ctx.actor.role !== 'admin') throw new FlowstackError('forbidden', "only workspace admins change the workspace's settings");
  return scope;
}

/** Answers `registry.workspace.settings.*`: members and the tool-runner read, admins change. */
@Controller()
export class WorkspaceSettingsHandlers {
  constructor(private readonly settings: WorkspaceSettingsService) {}

  @MessagePattern(Rpc.registry.workspaceSettingsGet)
  get(@Ctx() ctx: RpcContext) {
    return this.settings.get(readScope(ctx.requestContext));
  }

  @MessagePattern(Rpc.registry.workspaceSettingsUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.settings.update(adminScope(ctx.requestContext), parseRequest(updateWorkspaceSettingsSchema, body));
  }
}
