import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sign, verify, TokenExpiredError, type JwtPayload } from 'jsonwebtoken';
import { FlowstackError } from '@flowstack/contracts';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';

/** The claims every Flowstack token carries (ARCHITECTURE.md section 7). */
export interface TokenClaims {
  /** The user id. */
  sub: string;
  /** Token id, the handle for revocation. */
  jti: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Expires at, seconds since the epoch. */
  exp: number;
}

export interface IssuedToken {
  token: string;
  claims: TokenClaims;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Issues and verifies the HS256 bearer tokens of this platform. */
@Injectable()
export class JwtService {
  /**
   * The HS256 key, built once. Given a string, jsonwebtoken first tries (and fails) to parse it as
   * a PEM public/private key and then builds a secret KeyObject, on every sign and verify call.
   */
  private readonly key: KeyObject;

  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret));
  }

  issue(userId: string): IssuedToken {
    const iat = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = { sub: userId, jti: randomUUID(), iat, exp: iat + this.config.jwtTtlSeconds };
    return { token: sign(claims, this.key, { algorithm: 'HS256' }), claims };
  }

  /**
   * Checks the signature (HS256 only: `none` and asymmetric algorithms are refused), the expiry and
   * the presence of every claim. Throws `FlowstackError('unauthenticated')` with `token expired` or
   * `invalid token`; not retryable with the same token. Revocation is checked by the caller.
   */
  verify(token: string): TokenClaims {
    let payload: string | JwtPayload;
    try {
      payload = verify(token, this.key, { algorithms: ['HS256'] });
    } catch (e) {
      throw new FlowstackError('unauthenticated', e instanceof TokenExpiredError ? 'token expired' : 'invalid token');
    }
    if (
      typeof payload === 'string' ||
      typeof payload.sub !== 'string' ||
      !UUID.test(payload.sub) ||
      typeof payload.jti !== 'string' ||
      !UUID.test(payload.jti) ||
      typeof payload.iat !== 'number' ||
      typeof payload.exp !== 'number'
    ) {
      throw new FlowstackError('unauthenticated', 'invalid token');
    }
    return { sub: payload.sub, jti: payload.jti, iat: payload.iat, exp: payload.exp };
  }
}
