import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { parseRequest, Rpc, type AuthResult } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { userAgentOf } from './auth.controller';
import { Public } from './public.decorator';
import { anonymousContext } from './request-context';

/** The query the provider sends back to the callback (RFC 6749 section 4.1.2; `iss` from RFC 9207). */
export const oidcCallbackQuerySchema = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});

/** Binds a started login to the browser that started it (login CSRF): only that browser holds the state. */
export const OIDC_STATE_COOKIE = 'flowstack_oidc_state';
const COOKIE_PATH = '/api/v1/auth/oidc';

/**
 * `/api/v1/auth/oidc`: OpenID Connect login (authorization code + PKCE), both routes public.
 * Identity keeps the state, nonce and PKCE verifier (single use, short TTL, shared by every
 * replica); this controller only redirects, binds the state to the browser with a cookie, and
 * answers the callback like login: JSON for `Accept: application/json`, else a redirect to the
 * web app (`OIDC_POST_LOGIN_URL`) with the token in the fragment, which never reaches a server log.
 */
@Public()
@Controller('api/v1/auth/oidc')
export class OidcController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `{ enabled }`: whether this deployment offers single sign-on (the web app's sign-in page asks). */
  @Get('status')
  async status(@Req() req: Request): Promise<{ enabled: boolean }> {
    return this.rpc.request<{ enabled: boolean }>(Rpc.oidc.oidcStatus, {}, anonymousContext(req));
  }

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { authorizationUrl, state } = await this.rpc.request<{ authorizationUrl: string; state: string }>(
      Rpc.oidc.oidcBegin,
      {},
      anonymousContext(req),
    );
    res
      .cookie(OIDC_STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        path: COOKIE_PATH,
        maxAge: 600_000,
      })
      .set('Cache-Control', 'no-store')
      .redirect(302, authorizationUrl);
  }

  @Get('callback')
  async callback(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    parseRequest(oidcCallbackQuerySchema, query);
    const browserState = cookieOf(req, OIDC_STATE_COOKIE);
    // Cleared whatever the outcome: identity consumes the state on its first use.
    res.clearCookie(OIDC_STATE_COOKIE, { path: COOKIE_PATH });
    const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    const result = await this.rpc.request<AuthResult>(
      Rpc.oidc.oidcComplete,
      { query: rawQuery, browserState, clientIp: req.ip, userAgent: userAgentOf(req) },
      anonymousContext(req),
    );
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    if (req.accepts(['text/html', 'application/json']) === 'application/json') {
      res.status(200).json(result);
      return;
    }
    res.redirect(302, `${this.config.oidcPostLoginUrl}#token=${encodeURIComponent(result.token)}`);
  }
}

/** One cookie's value from the `Cookie` header (no cookie middleware in this gateway). */
function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
