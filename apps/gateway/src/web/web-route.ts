import { posix } from 'node:path';

/** Paths the API, its docs, probes, metrics and the WebSocket own: never answered by the web app. */
const RESERVED = ['/api', '/ws', '/metrics', '/health'];

/** What the web app answers for one request: a file of its build, its `index.html`, or nothing. */
export type WebRoute = { kind: 'file'; path: string; immutable: boolean } | { kind: 'index' } | { kind: 'none' };

/**
 * Decides, from the request alone, what the single-page app serves. Only GET and HEAD, never a
 * reserved prefix (an unknown `/api/...` route stays the API's 404 problem+json). A path with a
 * file extension is a build file (hashed `assets/*` are immutable) or nothing; any other path is a
 * client-side route and gets `index.html`, but only for a browser asking for HTML.
 * `path` is relative to the build directory, normalised, and never climbs out of it.
 */
export function webRouteOf(method: string, urlPath: string, accept: string | undefined): WebRoute {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'none' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'none' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'none' };
  const normalised = posix.normalize(decoded);
  if (!normalised.startsWith('/') || normalised.split('/').includes('..')) return { kind: 'none' };
  if (RESERVED.some((p) => normalised === p || normalised.startsWith(`${p}/`))) return { kind: 'none' };
  if (normalised === '/' || normalised === '/index.html') return { kind: 'index' };
  const last = normalised.slice(normalised.lastIndexOf('/') + 1);
  if (last.includes('.')) {
    if (last.startsWith('.')) return { kind: 'none' };
    return { kind: 'file', path: normalised.slice(1), immutable: normalised.startsWith('/assets/') };
  }
  return acceptsHtml(accept) ? { kind: 'index' } : { kind: 'none' };
}

function acceptsHtml(accept: string | undefined): boolean {
  return accept === undefined || accept.includes('text/html') || accept.includes('*/*');
}
