import { useEffect, useState } from 'react';

/** The list pages of the workspace's resources, each at `/<page>`, in the order the nav shows them. */
export const LIST_PAGES = [
  'workflows',
  'executions',
  'agents',
  'tools',
  'credentials',
  'schedules',
  'webhooks',
  'automations',
  'credits',
  'members',
  'api-keys',
  'audit',
] as const;
export type ListPage = (typeof LIST_PAGES)[number];

/** The app's pages, from the URL path. */
export type Route =
  | { page: ListPage }
  | { page: 'designer'; workflowId?: string }
  | { page: 'monitor'; executionId: string }
  | { page: 'workflow-runs'; workflowId: string }
  | { page: 'signin' };

export function routeOf(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'workflows' && parts[1] === 'new') return { page: 'designer' };
  if (parts[0] === 'workflows' && parts[1] && parts[2] === 'executions') return { page: 'workflow-runs', workflowId: parts[1] };
  if (parts[0] === 'workflows' && parts[1]) return { page: 'designer', workflowId: parts[1] };
  if (parts[0] === 'executions' && parts[1]) return { page: 'monitor', executionId: parts[1] };
  if (parts[0] === 'signin') return { page: 'signin' };
  const list = LIST_PAGES.find((p) => p === parts[0]);
  return { page: list ?? 'workflows' };
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(window.location.pathname));
  useEffect(() => {
    const on = (): void => setRoute(routeOf(window.location.pathname));
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return route;
}
