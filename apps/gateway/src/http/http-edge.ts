import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { FlowstackError } from '@flowstack/contracts';
import { CORRELATION_HEADER, REQUEST_ID_HEADER, requestIdsOf } from './correlation-id';
import { corsMiddleware } from './cors';
import { assertJsonBody, isJsonContentType } from './json-content-type';
import { assertJsonDepth } from './json-depth';

/** Paths whose answers carry tokens or account data: never stored by a browser or a proxy. */
const NO_STORE_PREFIX = '/api/v1/auth/';

/**
 * Headers every answer gets, set before anything can fail so error answers have them too:
 * `nosniff` (a JSON body is never run as a script), `no-store` where tokens are returned, and the
 * request's ids (`X-Request-Id`, and the correlation id it defaults), validated once here and written back so every later reader (the auth
 * guard, the handlers' NATS context, the problem filter) sees the same safe value.
 */
function edgeHeaders(req: Request, res: Response, next: NextFunction): void {
  const { requestId, correlationId } = requestIdsOf(req.headers);
  req.headers[CORRELATION_HEADER] = correlationId;
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader('X-Correlation-Id', correlationId);
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.path.startsWith(NO_STORE_PREFIX)) res.setHeader('Cache-Control', 'no-store');
  next();
}

/** A request whose raw body the edge kept (only `POST /hooks/{id}`). */
export type RawBodyRequest = IncomingMessage & { rawBody?: Buffer };

function jsonBodiesOnly(req: Request, _res: Response, next: NextFunction): void {
  assertJsonBody(req.headers);
  next();
}

/** Runs on the raw body before it is parsed: what the parser would accept but we must not. */
function verifyJsonBody(req: IncomingMessage, _res: unknown, body: Buffer): void {
  // A webhook's signature is over the exact bytes sent: keep them for `HooksController`.
  if (req.url?.startsWith('/hooks/')) (req as RawBodyRequest).rawBody = body;
  if (!isUtf8(body)) {
    // Invalid bytes would be decoded to U+FFFD (3 bytes each), outgrowing the body limit on the bus.
    throw new FlowstackError('validation_failed', 'request body is not valid UTF-8', [
      { path: '(body)', message: 'must be UTF-8 encoded JSON', rule: 'encoding' },
    ]);
  }
  assertJsonDepth(body);
}

/**
 * The gateway's HTTP edge, in order: headers, the media type check (415), then the one JSON body
 * parser, bounded by `bodyLimitBytes` (413 above it, a limit the bus can carry) and refusing
 * invalid UTF-8 and bodies nested deeper than `Limits.jsonDepth` (400). Body parser errors reach
 * the `ProblemFilter` like any other. CORS (after the headers, so a preflight has its ids too)
 * only for `corsOrigins`; none by default.
 */
export function installHttpEdge(
  app: NestExpressApplication,
  options: { bodyLimitBytes: number; corsOrigins: readonly string[] },
): void {
  app.use(edgeHeaders);
  app.use(corsMiddleware(options.corsOrigins));
  app.use(jsonBodiesOnly);
  // Nest's option type leaves `verify` out (it uses it for `rawBody`, off here); Express takes it.
  const parserOptions = {
    limit: options.bodyLimitBytes,
    type: (req: IncomingMessage) => isJsonContentType(req.headers['content-type']),
    verify: verifyJsonBody,
  };
  app.useBodyParser('json', parserOptions);
}
