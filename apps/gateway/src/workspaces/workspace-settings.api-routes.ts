import { updateWorkspaceSettingsSchema, workspaceSettingsSchema } from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

/** A workspace's settings, spread into `API_ROUTES`. */
export const WORKSPACE_SETTINGS_ROUTES: readonly ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/workspaces/{id}/settings',
    tag: 'workspaces',
    summary: "The workspace's switches: python and shell tools, and their network (all off until an admin enables them)",
    auth: true,
    status: 200,
    response: workspaceSettingsSchema,
    errors: [401, 404],
  },
  {
    method: 'put',
    path: '/api/v1/workspaces/{id}/settings',
    tag: 'workspaces',
    summary: 'Change switches (admins; the fields given change, the others stay; audited as WorkspaceSettingsChanged)',
    auth: true,
    body: updateWorkspaceSettingsSchema,
    status: 200,
    response: workspaceSettingsSchema,
    errors: [400, 401, 403, 404],
  },
];
