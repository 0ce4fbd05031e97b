import { SetMetadata } from '@nestjs/common';

export const WORKSPACE_FROM_PATH = 'flowstack:workspace-from-path';

/**
 * The route names its workspace in the path (`/workspaces/{id}/members`): the call acts in that
 * workspace, with the caller's role there, as if `X-Workspace-Id` said so (a header naming another
 * workspace is a 400; a workspace the caller does not belong to is a 404 like any other).
 */
export const WorkspaceFromPath = (param = 'id'): MethodDecorator & ClassDecorator => SetMetadata(WORKSPACE_FROM_PATH, param);
