import type { INestApplication } from '@nestjs/common';

/** `GET /api/v1/workflows/{id}`: one route as a method and an OpenAPI-style path. */
export type RouteKey = string;

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * The HTTP routes an initialized Nest application has registered on Express, as `METHOD /path`
 * with Express's `:param` written as OpenAPI's `{param}`. Reads Express 5's router, so it sees
 * exactly what requests are matched against (controllers, prefixes and all).
 */
export function registeredRoutesOf(app: INestApplication): RouteKey[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
  const keys = new Set<RouteKey>();
  for (const layer of express.router.stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const method of Object.keys(layer.route.methods)) {
      if (method === '_all') continue;
      for (const path of paths) keys.add(routeKey(method, path.replace(/:(\w+)/g, '{$1}')));
    }
  }
  return [...keys].sort();
}

export const routeKey = (method: string, path: string): RouteKey => `${method.toUpperCase()} ${path}`;

/** The operations of an OpenAPI document, as `METHOD /path`. */
export function documentedRoutesOf(doc: { paths: Record<string, Record<string, unknown>> }): RouteKey[] {
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => routeKey(method, path)))
    .sort();
}

/** Routes on one side and not the other: both lists must be empty for the document to be whole. */
export function routeDrift(
  registered: RouteKey[],
  documented: RouteKey[],
): { undocumented: RouteKey[]; unregistered: RouteKey[] } {
  const doc = new Set(documented);
  const reg = new Set(registered);
  return { undocumented: registered.filter((r) => !doc.has(r)), unregistered: documented.filter((d) => !reg.has(d)) };
}
