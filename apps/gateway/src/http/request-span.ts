import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { parseTraceparent, startLiveSpan, tracingEnabled, traceparentOf } from '@flowstack/service-kit';

/**
 * With tracing on, a SERVER span per HTTP request (`HTTP <method>`, route and status as
 * attributes), child of the caller's `traceparent` when it sent one. The request's `traceparent`
 * header is replaced by the span's, so the request context and every NATS request the gateway
 * makes for it carry this span as parent (the services' `rpc <pattern>` spans sit under it).
 * Off, nothing is installed.
 */
export function installRequestSpans(app: NestExpressApplication): void {
  if (!tracingEnabled()) return;
  app.use((req: Request, res: Response, next: NextFunction) => {
    const span = startLiveSpan(`HTTP ${req.method}`, parseTraceparent(req.header('traceparent')), {
      'http.request.method': req.method,
      'url.path': req.path,
    });
    if (span) {
      req.headers.traceparent = traceparentOf(span.context);
      res.once('finish', () =>
        span.end(
          { 'http.response.status_code': res.statusCode, 'http.route': (req.route as { path?: string } | undefined)?.path ?? '' },
          res.statusCode >= 500 ? String(res.statusCode) : undefined,
        ),
      );
    }
    next();
  });
}
