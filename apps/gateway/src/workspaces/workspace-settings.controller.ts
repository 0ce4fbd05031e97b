import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  Rpc,
  parseRequest,
  updateWorkspaceSettingsSchema,
  type RequestContext,
  type WorkspaceSettings,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { WorkspaceFromPath } from '../auth/workspace-from-path.decorator';

/**
 * `/api/v1/workspaces/{id}/settings` (the registry keeps them): members read the switches, admins
 * change them (`PUT` changes the fields it gives). Roles: `ACCESS_POLICY`.
 */
@Controller('api/v1/workspaces')
export class WorkspaceSettingsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get(':id/settings')
  @WorkspaceFromPath()
  get(@Ctx() ctx: RequestContext): Promise<WorkspaceSettings> {
    return this.rpc.request(Rpc.registry.workspaceSettingsGet, {}, ctx);
  }

  @Put(':id/settings')
  @WorkspaceFromPath()
  update(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<WorkspaceSettings> {
    return this.rpc.request(Rpc.registry.workspaceSettingsUpdate, parseRequest(updateWorkspaceSettingsSchema, body), ctx);
  }
}
