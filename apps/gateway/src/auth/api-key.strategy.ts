import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { API_KEY_MARK } from '@flowstack/messaging';
import type { ResolvedPrincipal } from '@flowstack/contracts';
import { ApiKeyVerifier } from './api-key.verifier';
import { bearerTokenOf } from './bearer-token';

/**
 * The passport `api-key` strategy, tried before `jwt`: a bearer credential that starts with
 * `fsk_` is an API key and is decided here (accepted, or refused with our error); anything else
 * is not this strategy's business (`null`: passport moves on to `jwt`).
 */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly verifier: ApiKeyVerifier) {
    super();
  }

  validate(req: Request): ResolvedPrincipal | null {
    const credential = bearerTokenOf(req.header('authorization'));
    if (!credential?.startsWith(API_KEY_MARK)) return null;
    return this.verifier.verify(credential, req.header('x-workspace-id') || undefined);
  }
}
