import { useEffect, useState } from 'react';

/** The app's pages, from the URL path. */
export type Route =
  | { page: 'workflows' }
  | { page: 'designer'; workflowId?: string }
  | { page: 'monitor'; executionId: string }
  | { page: 'signin' };

export function routeOf(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'workflows' && parts[1] === 'new') return { page: 'designer' };
  if (parts[0] === 'workflows' && parts[1]) return { page: 'designer', workflowId: parts[1] };
  if (parts[0] === 'executions' && parts[1]) return { page: 'monitor', executionId: parts[1] };
  if (parts[0] === 'signin') return { page: 'signin' };
  return { page: 'workflows' };
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
