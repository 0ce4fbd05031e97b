import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { webRouteOf } from './web-route';

/**
 * The web app's production build (`apps/web/dist`, `GATEWAY_WEB_DIR` to move it). Resolved from
 * this file so it does not depend on the working directory.
 */
export const webDistDir = (env: NodeJS.ProcessEnv = process.env): string =>
  resolve(env.GATEWAY_WEB_DIR ?? join(__dirname, '..', '..', '..', 'web', 'dist'));

/**
 * Scripts only from this origin; inline styles are allowed because React Flow positions nodes with
 * `style` attributes. The API and the WebSocket are on the same origin.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the single-page app at `/` from its build: files by path, `index.html` for client-side
 * routes. Everything else (the API, docs, probes, metrics, WebSocket upgrades, unknown files)
 * falls through to Nest, so an unknown `/api/...` route is still a 404 problem+json.
 */
@Injectable()
export class WebStaticMiddleware implements NestMiddleware {
  private readonly logger = new Logger('web');
  private readonly root = webDistDir();
  private warned = false;

  use(req: Request, res: Response, next: NextFunction): void {
    // Nest mounts this under a wildcard, so Express's `req.path` is relative to it: use the full URL.
    const path = (req.originalUrl ?? req.url).split('?')[0] ?? '/';
    const route = webRouteOf(req.method, path, req.headers.accept);
    if (route.kind === 'none') return next();
    const index = join(this.root, 'index.html');
    if (!existsSync(index)) {
      if (!this.warned) this.logger.warn(`no web app build at ${this.root} (npm run build:web)`);
      this.warned = true;
      return next();
    }
    if (route.kind === 'file') {
      const file = join(this.root, route.path);
      if (!file.startsWith(this.root + '/') || !isFile(file)) return next();
      res.sendFile(file, { dotfiles: 'deny', maxAge: route.immutable ? '365d' : 0, immutable: route.immutable }, (e) => {
        if (e && !res.headersSent) next(e);
      });
      return;
    }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, (e) => {
      if (e && !res.headersSent) next(e);
    });
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
