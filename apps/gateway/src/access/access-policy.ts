import type { Role } from '@flowstack/contracts';

/**
 * `GET /api/v1/workflows/{id}` (a route as the OpenAPI document and `registeredRoutesOf` write it)
 * or `WS /ws/executions/{id}` (a WebSocket action).
 */
export type PolicyKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'WS'} /${string}`;

/**
 * THE access policy: every authenticated REST route and WebSocket action of the gateway with the
 * least role that may call it (admin > editor > viewer). Viewers read; editors build and run;
 * admins manage members, credentials, API keys, sandboxed tool kinds and billing.
 *
 * `RolesGuard` enforces it after authentication (403 problem+json below the role), the live socket
 * checks its `WS` rows, and two tests keep it whole: a registered route that is neither `@Public()`
 * nor listed here fails `access-policy.int-spec.ts` (and is refused with 403 at run time: the
 * guard fails closed), and every row is tried with every role.
 *
 * Adding a route is one line here. Rows are grouped by slice so concurrent additions do not touch
 * the same lines.
 */
export const ACCESS_POLICY: Readonly<Record<PolicyKey, Role>> = {
  // auth
  'POST /api/v1/auth/logout': 'viewer',
  'GET /api/v1/auth/me': 'viewer',

  // audit (identity reads the shared event log)
  'GET /api/v1/audit': 'admin',

  // workflows (registry)
  'GET /api/v1/workflows': 'viewer',
  'POST /api/v1/workflows': 'editor',
  'GET /api/v1/workflows/{id}': 'viewer',
  'PUT /api/v1/workflows/{id}': 'editor',
  'DELETE /api/v1/workflows/{id}': 'editor',
  'GET /api/v1/workflows/{id}/versions': 'viewer',
  'GET /api/v1/workflows/{id}/versions/{version}': 'viewer',

  // executions (orchestrator)
  'POST /api/v1/workflows/{id}/executions': 'editor',
  'GET /api/v1/executions/{id}': 'viewer',
  'GET /api/v1/executions/{id}/events': 'viewer',
  'GET /api/v1/executions/{id}/values/{sha256}': 'viewer',
  'WS /ws/executions/{id}': 'viewer',
  'POST /api/v1/executions/{id}/cancel': 'editor',
  'POST /api/v1/executions/{id}/retry': 'editor',
  'POST /api/v1/executions/{id}/fork': 'editor',
  // execution history (orchestrator's history projection)
  'GET /api/v1/executions': 'viewer',
  'GET /api/v1/workflows/{id}/executions': 'viewer',
  'DELETE /api/v1/executions/{id}': 'editor',
  // Any member may reach the orchestrator, which checks the gate's own `approverRole` (a gate may
  // let viewers decide).
  'POST /api/v1/executions/{id}/approvals': 'viewer',

  // credentials (registry): members see metadata, never values; admins manage them
  'GET /api/v1/credentials': 'viewer',
  'GET /api/v1/credentials/{id}': 'viewer',
  'POST /api/v1/credentials': 'admin',
  'PATCH /api/v1/credentials/{id}': 'admin',
  'DELETE /api/v1/credentials/{id}': 'admin',

  // agents, tools and their links (registry)
  'GET /api/v1/agents': 'viewer',
  'GET /api/v1/agents/{id}': 'viewer',
  'POST /api/v1/agents': 'editor',
  'PATCH /api/v1/agents/{id}': 'editor',
  'DELETE /api/v1/agents/{id}': 'editor',
  'GET /api/v1/agents/{id}/tools': 'viewer',
  'POST /api/v1/agents/{id}/tools': 'editor',
  'DELETE /api/v1/agents/{id}/tools/{toolId}': 'editor',
  // Runs the agent as an execution: running is for editors, as for workflows.
  'POST /api/v1/agents/{id}/invoke': 'editor',
  'GET /api/v1/tools': 'viewer',
  'GET /api/v1/tools/{id}': 'viewer',
  'POST /api/v1/tools': 'editor',
  'PATCH /api/v1/tools/{id}': 'editor',
  'DELETE /api/v1/tools/{id}': 'editor',
  'POST /api/v1/tools/{id}/test': 'editor',
  'POST /api/v1/tools/{id}/discover': 'editor',

  // workspaces, members, invitations (identity); `{id}` routes act in that workspace
  'GET /api/v1/workspaces': 'viewer',
  'POST /api/v1/workspaces': 'viewer',
  'PATCH /api/v1/workspaces/{id}': 'admin',
  'GET /api/v1/workspaces/{id}/members': 'viewer',
  'PATCH /api/v1/workspaces/{id}/members/{userId}': 'admin',
  'DELETE /api/v1/workspaces/{id}/members/{userId}': 'admin',
  'POST /api/v1/workspaces/{id}/invitations': 'admin',
  'GET /api/v1/workspaces/{id}/invitations': 'admin',
  'DELETE /api/v1/workspaces/{id}/invitations/{invitationId}': 'admin',
  // workspace settings (registry): python/shell tools and their network are switched on by admins
  'GET /api/v1/workspaces/{id}/settings': 'viewer',
  'PUT /api/v1/workspaces/{id}/settings': 'admin',
  'POST /api/v1/invitations/accept': 'viewer',
  'POST /api/v1/invitations/decline': 'viewer',

  // API keys (identity)
  'POST /api/v1/workspaces/{id}/api-keys': 'admin',
  'GET /api/v1/workspaces/{id}/api-keys': 'admin',
  'DELETE /api/v1/workspaces/{id}/api-keys/{keyId}': 'admin',

  // schedules and webhooks (scheduler); POST /hooks/{id} is @Public(): its signature authenticates it
  'GET /api/v1/schedules': 'viewer',
  'GET /api/v1/schedules/{id}': 'viewer',
  'GET /api/v1/schedules/{id}/next': 'viewer',
  'GET /api/v1/schedules/{id}/history': 'viewer',
  'POST /api/v1/schedules': 'editor',
  'PATCH /api/v1/schedules/{id}': 'editor',
  'DELETE /api/v1/schedules/{id}': 'editor',
  'POST /api/v1/schedules/{id}/pause': 'editor',
  'POST /api/v1/schedules/{id}/resume': 'editor',
  'GET /api/v1/webhooks': 'viewer',
  'GET /api/v1/webhooks/{id}': 'viewer',
  'POST /api/v1/webhooks': 'editor',
  'PATCH /api/v1/webhooks/{id}': 'editor',
  'DELETE /api/v1/webhooks/{id}': 'editor',
  // event triggers and run notifications (scheduler)
  'GET /api/v1/triggers': 'viewer',
  'GET /api/v1/triggers/{id}': 'viewer',
  'GET /api/v1/triggers/{id}/history': 'viewer',
  'POST /api/v1/triggers': 'editor',
  'PATCH /api/v1/triggers/{id}': 'editor',
  'DELETE /api/v1/triggers/{id}': 'editor',
  'GET /api/v1/notifications': 'viewer',
  'GET /api/v1/notifications/{id}': 'viewer',
  'GET /api/v1/notifications/{id}/deliveries': 'viewer',
  'POST /api/v1/notifications': 'editor',
  'PATCH /api/v1/notifications/{id}': 'editor',
  'DELETE /api/v1/notifications/{id}': 'editor',

  // credits (billing)
  'GET /api/v1/credits/balance': 'viewer',
  'GET /api/v1/credits/transactions': 'viewer',
  'POST /api/v1/credits/grants': 'admin',
  // usage report (billing's usage projection) and the run export (orchestrator events + ledger entries)
  'GET /api/v1/usage': 'viewer',
  'GET /api/v1/executions/{id}/export': 'viewer',

  // operations
  'GET /api/v1/dead-letters': 'admin',
};

const RANK: Readonly<Record<Role, number>> = { viewer: 0, editor: 1, admin: 2 };

/** True when `role` is `needed` or above it. */
export const hasRole = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/** The least role for a policy key; undefined for a key the table lacks (callers refuse it). */
export const requiredRoleOf = (key: string): Role | undefined =>
  Object.prototype.hasOwnProperty.call(ACCESS_POLICY, key) ? ACCESS_POLICY[key as PolicyKey] : undefined;

/** `GET` + `/api/v1/workflows/:id` (Express's matched path) -> `GET /api/v1/workflows/{id}`. */
export const policyKeyOf = (method: string, expressPath: string): string =>
  `${method.toUpperCase()} ${expressPath.replace(/:(\w+)/g, '{$1}')}`;
