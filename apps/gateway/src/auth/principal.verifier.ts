import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TokenExpiredError, verify, type JwtPayload, type VerifyOptions } from 'jsonwebtoken';
import { FlowstackError, type ResolvedPrincipal } from '@flowstack/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { AuthFeed } from './auth-feed.cache';

/** HS256 only: `none` and asymmetric algorithms are refused (the same rule as identity's). */
export const JWT_VERIFY_OPTIONS: VerifyOptions & { algorithms: ['HS256'] } = { algorithms: ['HS256'] };

/** The longest token and `X-Workspace-Id` accepted (identity's `resolve` limits). */
const MAX_TOKEN_CHARS = 8192;
const MAX_WORKSPACE_ID_CHARS = 100;
/** How long a call waits for a membership written a moment ago to reach this replica. */
const MEMBERSHIP_CATCH_UP_MS = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who is calling, in which workspace, with which role: from the bearer token and `X-Workspace-Id`,
 * with no request to identity. The signature and expiry are checked here (HS256 with identity's
 * `JWT_SECRET`), revocation and membership against the auth feed (`AuthFeed`).
 *
 * Errors (all `FlowstackError`, none retryable with the same input except `unavailable`):
 * `unauthenticated` (`invalid token`, `token expired`, `token revoked`); `not_found`
 * (`workspace not found`: not a member, or no such workspace; never `forbidden`);
 * `validation_failed` (several workspaces and none named; a token or workspace id too long);
 * `unavailable` (retry after 1 s) while the feed is not loaded: the gateway fails closed.
 *
 * HTTP calls reach it through the passport `jwt` strategy; WebSockets call `verify` directly.
 */
@Injectable()
export class PrincipalVerifier {
  /** The HS256 key, built once (given a string, jsonwebtoken would rebuild it on every call). */
  readonly key: KeyObject;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly feed: AuthFeed,
  ) {
    this.key = createSecretKey(Buffer.from(config.jwtSecret));
  }

  /** Verifies a bearer token and resolves the principal for the requested workspace (optional). */
  async verify(token: string, workspaceId?: string): Promise<ResolvedPrincipal> {
    if (token.length > MAX_TOKEN_CHARS) {
      throw tooLong('token', MAX_TOKEN_CHARS);
    }
    let payload: string | JwtPayload;
    try {
      payload = verify(token, this.key, JWT_VERIFY_OPTIONS);
    } catch (e) {
      throw new FlowstackError('unauthenticated', e instanceof TokenExpiredError ? 'token expired' : 'invalid token');
    }
    return this.principalOf(payload, workspaceId);
  }

  /**
   * The second half, for a payload whose signature and expiry were already verified (by
   * passport-jwt with `JWT_VERIFY_OPTIONS` and `key`): claims, revocation, membership.
   */
  async principalOf(payload: string | JwtPayload, requestedWorkspace?: string): Promise<ResolvedPrincipal> {
    if (requestedWorkspace && requestedWorkspace.length > MAX_WORKSPACE_ID_CHARS) {
      throw tooLong('workspaceId', MAX_WORKSPACE_ID_CHARS);
    }
    const claims = claimsOf(payload);
    if (!this.feed.loaded) {
      throw new FlowstackError('unavailable', 'authentication data is loading; try again in a moment', undefined, 1);
    }
    if (this.feed.isRevoked(claims.jti)) throw new FlowstackError('unauthenticated', 'token revoked');
    const wanted = requestedWorkspace?.toLowerCase() || undefined;
    let chosen = pick(this.feed.membershipsOf(claims.sub), wanted);
    // A miss may be a membership written a moment ago that this replica has not applied yet (a
    // user who just registered through another gateway): wait for the feed to catch up, once.
    if (chosen.kind === 'none' && (await this.feed.membershipsCaughtUp(MEMBERSHIP_CATCH_UP_MS))) {
      chosen = pick(this.feed.membershipsOf(claims.sub), wanted);
    }
    // Revoked while we waited: the answer is the latest the feed knows.
    if (this.feed.isRevoked(claims.jti)) throw new FlowstackError('unauthenticated', 'token revoked');
    switch (chosen.kind) {
      case 'none':
        throw new FlowstackError('not_found', 'workspace not found');
      case 'several':
        throw new FlowstackError('validation_failed', 'X-Workspace-Id header is required: you belong to several workspaces', [
          { path: 'workspaceId', message: 'required when you belong to several workspaces', rule: 'required' },
        ]);
      case 'one':
        return { userId: claims.sub, workspaceId: chosen.workspaceId, role: chosen.role, jti: claims.jti, expiresAt: claims.exp };
    }
  }
}

type Choice = { kind: 'none' } | { kind: 'several' } | { kind: 'one'; workspaceId: string; role: ResolvedPrincipal['role'] };

/** The named workspace, or the only one when none is named. */
function pick(memberships: ReadonlyMap<string, ResolvedPrincipal['role']>, wanted: string | undefined): Choice {
  if (wanted) {
    const role = memberships.get(wanted);
    return role ? { kind: 'one', workspaceId: wanted, role } : { kind: 'none' };
  }
  if (memberships.size > 1) return { kind: 'several' };
  const [only] = memberships;
  return only ? { kind: 'one', workspaceId: only[0], role: only[1] } : { kind: 'none' };
}

/** Exactly the claims identity issues (`sub` and `jti` uuids, `iat` and `exp` numbers), else `invalid token`. */
function claimsOf(payload: string | JwtPayload): { sub: string; jti: string; exp: number } {
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
  return { sub: payload.sub, jti: payload.jti, exp: payload.exp };
}

const tooLong = (path: string, max: number): FlowstackError =>
  new FlowstackError('validation_failed', `${path} is too long`, [
    { path, message: `must be at most ${max} characters`, rule: 'too_big' },
  ]);
