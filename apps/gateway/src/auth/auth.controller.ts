import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Rpc, loginSchema, parseRequest, registerSchema, type AuthResult, type RequestContext } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { bearerTokenOf } from './bearer-token';
import { Public } from './public.decorator';
import { Ctx, anonymousContext } from './request-context';

/** `/api/v1/auth`: register (creates the user's workspace), login, logout, me. */
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  @Public()
  @Post('register')
  register(@Body() body: unknown, @Req() req: Request): Promise<AuthResult> {
    // The client address is added after parsing, so a client cannot send its own (throttling key).
    return this.rpc.request(
      Rpc.identity.register,
      { ...parseRequest(registerSchema, body), clientIp: req.ip },
      anonymousContext(req),
    );
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown, @Req() req: Request): Promise<AuthResult> {
    return this.rpc.request(
      Rpc.identity.login,
      { ...parseRequest(loginSchema, body), clientIp: req.ip, userAgent: userAgentOf(req) },
      anonymousContext(req),
    );
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(
      Rpc.identity.logout,
      { token: bearerTokenOf(req.header('authorization')), clientIp: req.ip, userAgent: userAgentOf(req) },
      ctx,
    );
  }

  @Get('me')
  me(@Ctx() ctx: RequestContext): Promise<unknown> {
    return this.rpc.request(Rpc.identity.me, {}, ctx);
  }
}

/** The client's `User-Agent` for the audit log, cut to what identity accepts. */
export const userAgentOf = (req: Request): string | undefined => req.header('user-agent')?.slice(0, 1000);
