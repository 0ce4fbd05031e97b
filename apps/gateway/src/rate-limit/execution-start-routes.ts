import type { PolicyKey } from '../access/access-policy';

/**
 * The routes that start an execution (by hand, by API, or on behalf of a tool test or an agent
 * invoke): each call counts against its workspace's start limit (`ExecutionStartGuard`). A route
 * here must also be a row of `ACCESS_POLICY` (a test checks it), so a renamed route cannot
 * silently drop out of the limit.
 */
export const EXECUTION_START_ROUTES: ReadonlySet<PolicyKey> = new Set<PolicyKey>(['POST /api/v1/workflows/{id}/executions']);
