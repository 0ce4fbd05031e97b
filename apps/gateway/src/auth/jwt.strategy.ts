import { Inject, Injectable, Logger } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { JwtPayload } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import type { ResolvedPrincipal } from '@flowstack/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { bearerTokenOf } from './bearer-token';
import { JWT_VERIFY_OPTIONS, PrincipalVerifier } from './principal.verifier';

/**
 * The passport `jwt` strategy: passport-jwt checks the HS256 signature and the expiry with
 * identity's key, then `validate` turns the payload and `X-Workspace-Id` into the principal
 * (claims, revocation and membership from the auth feed). No request to identity.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    private readonly verifier: PrincipalVerifier,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    super({
      jwtFromRequest: (req: Request) => bearerTokenOf(req.header('authorization')) ?? null,
      // jsonwebtoken takes a KeyObject (built once); passport-jwt passes it through untouched, but its
      // types only name string | Buffer.
      secretOrKey: verifier.key as unknown as Buffer,
      algorithms: JWT_VERIFY_OPTIONS.algorithms,
      passReqToCallback: true,
    });
    if (config.jwtSecretSource === 'ephemeral') {
      new Logger('auth').warn(
        'JWT_SECRET is not set: verifying with a random key of this process, so every token is refused ' +
          "(give the gateway identity's JWT_SECRET)",
      );
    }
  }

  validate(req: Request, payload: JwtPayload): Promise<ResolvedPrincipal> {
    return this.verifier.principalOf(payload, req.header('x-workspace-id') || undefined);
  }
}
