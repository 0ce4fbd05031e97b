import type { NextFunction, Request, Response } from 'express';

/** Request headers a browser client may send cross-origin (everything the API reads). */
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Workspace-Id, X-Correlation-Id, X-Request-Id';
/** Response headers a cross-origin script may read. */
const EXPOSED_HEADERS = 'X-Correlation-Id, X-Request-Id';
const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Parses `GATEWAY_CORS_ORIGINS`: comma-separated origins (`https://app.example.com`), spaces and
 * empty entries ignored. Throws naming the variable for anything that is not an origin exactly
 * (a path, a trailing slash, a wildcard), so a typo cannot silently open or close the API.
 */
export function parseCorsOrigins(value: string | undefined): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(`GATEWAY_CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com`);
    }
  }
  return origins;
}

/**
 * CORS for the listed origins only; with none (the default) no request gets a CORS header and a
 * browser on another origin cannot read any answer. A request from a listed origin gets
 * `Access-Control-Allow-Origin` for it, and its preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered 204 here. Requests from other origins pass through
 * untouched: their preflight reaches the router and gets its 404, with no CORS header.
 * No credentials mode: the API authenticates with a bearer header, never a cookie.
 */
export function corsMiddleware(origins: readonly string[]): (req: Request, res: Response, next: NextFunction) => void {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    // Answers differ per origin, so caches must key on it.
    res.append('Vary', 'Origin');
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      res.status(204).end();
      return;
    }
    next();
  };
}
