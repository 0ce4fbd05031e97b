import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import * as oidc from 'openid-client';
import { FlowstackError, type AuthResult, type RequestContext, type Role } from '@flowstack/contracts';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { SignInAudit, signInStreamOf } from '../auth/sign-in-audit';
import { decideAccount, identityFromClaims, type OidcIdentity } from '../domain/oidc-claims.rules';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { JwtService } from '../tokens/jwt.service';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.views';
import { Membership } from '../workspaces/membership.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { WorkspacesService } from '../workspaces/workspaces.service';
import type { OidcConfig } from './oidc.config';
import type { OidcCompleteRequest } from './oidc.requests';

interface PendingLogin {
  nonce: string;
  code_verifier: string;
  live: boolean;
}

interface SignedIn {
  user: User;
  /** Memberships to announce on the auth feed after the commit. */
  changed: { workspaceId: string; role: Role }[];
}

const unauthenticated = (detail: string): FlowstackError => new FlowstackError('unauthenticated', detail);

/**
 * Authorization code + PKCE login against the configured OpenID provider (`openid-client`).
 *
 * A started login's state, nonce and PKCE verifier live in `identity.oidc_logins` until the
 * callback consumes them with one `delete ... returning`: a state is usable once, by whichever
 * gateway and identity replica receives the callback, and no longer than `OIDC_LOGIN_TTL_S`.
 */
@Injectable()
export class OidcLoginService {
  private readonly log = new Logger('oidc');
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly workspaces: WorkspacesService,
    private readonly jwt: JwtService,
    private readonly feed: AuthFeedPublisher,
    private readonly signIns: SignInAudit,
  ) {}

  /** Whether single sign-on is configured here (no provider round trip: a down provider still says `true`). */
  status(): { enabled: boolean } {
    return { enabled: this.config.oidc !== undefined };
  }

  /** Throws `not_found` when OIDC is not configured, `unavailable` (retryable) when the provider cannot be reached. */
  async begin(): Promise<{ authorizationUrl: string; state: string }> {
    const settings = this.settings();
    const provider = await this.provider(settings);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const em = this.em.fork();
    // Expired logins are swept here, by the only writer: the table stays as small as the logins in flight.
    await em.execute(`delete from identity.oidc_logins where expires_at < now()`);
    await em.execute(
      `insert into identity.oidc_logins (state, nonce, code_verifier, expires_at) values (?, ?, ?, now() + make_interval(secs => ?))`,
      [state, nonce, verifier, settings.loginTtlSeconds],
    );
    const url = oidc.buildAuthorizationUrl(provider, {
      redirect_uri: settings.redirectUri,
      scope: settings.scopes,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, state };
  }

  /**
   * Consumes the state, exchanges the code (with the PKCE verifier), validates the ID token
   * (signature against the provider's JWKS, `iss`, `aud`, `exp`, nonce), then signs the user in.
   * Throws `unauthenticated` for a state other than the browser's cookie, an unknown, used or expired state, an error answer from the
   * provider, or a refused token; `forbidden` for an email the provider has not verified (or none).
   */
  async complete(request: OidcCompleteRequest, ctx: RequestContext): Promise<AuthResult> {
    const settings = this.settings();
    const params = new URLSearchParams(request.query);
    const state = params.get('state');
    if (!state) {
      throw new FlowstackError('validation_failed', 'the callback has no state parameter', [
        { path: 'state', message: 'required', rule: 'required' },
      ]);
    }
    if (request.browserState !== state) {
      // Not consumed: the browser that started this login may still complete it.
      throw unauthenticated("the login state does not match this browser's: start the login again from the same browser");
    }
    const [pending] = await this.em
      .fork()
      .execute<PendingLogin[]>(
        `delete from identity.oidc_logins where state = ? returning nonce, code_verifier, expires_at > now() as live`,
        [state],
      );
    if (!pending?.live) throw unauthenticated('unknown, already used or expired login state: start the login again');
    const error = params.get('error');
    if (error) {
      throw unauthenticated(
        `the identity provider refused the login: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}`,
      );
    }
    const provider = await this.provider(settings);
    const callbackUrl = new URL(settings.redirectUri);
    callbackUrl.search = params.toString();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims() ?? {};
    } catch (e) {
      this.log.warn(`OIDC callback refused: ${String(e)}`);
      throw unauthenticated(`the identity provider's answer was refused: ${e instanceof Error ? e.message : String(e)}`);
    }
    const identity = identityFromClaims(claims, settings.groupsClaim, settings.groupRoles);
    const { user, changed } = await this.signIn(identity, settings, ctx);
    for (const m of changed) await this.feed.membershipChanged(user.id, m.workspaceId, m.role);
    await this.signIns.record(
      'LoginSucceeded',
      user.id,
      { clientIp: request.clientIp, userAgent: request.userAgent, method: 'oidc' },
      ctx,
    );
    const em = this.em.fork();
    return {
      token: this.jwt.issue(user.id).token,
      user: toUserView(user),
      workspaces: await this.workspaces.listForUser(em, user.id),
    };
  }

  private async signIn(identity: OidcIdentity, settings: OidcConfig, ctx: RequestContext): Promise<SignedIn> {
    return this.audit.transaction(ctx, async (em, record) => {
      const [linked] = await em.execute<{ user_id: string }[]>(
        `select user_id from identity.oidc_identities where issuer = ? and subject = ?`,
        [identity.issuer, identity.subject],
      );
      const withEmail = identity.email ? await em.findOne(User, { email: identity.email }) : null;
      const decision = decideAccount(identity, linked?.user_id, withEmail?.id);
      const changed: SignedIn['changed'] = [];
      let user: User;
      switch (decision.kind) {
        case 'refuse':
          throw new FlowstackError(
            'forbidden',
            decision.reason === 'no_email'
              ? 'the identity provider sent no email for this account: grant the email scope, then sign in again'
              : `the identity provider has not verified the email ${identity.email}: verify it there, then sign in again`,
          );
        case 'known':
          user = await em.findOneOrFail(User, { id: decision.userId });
          break;
        case 'link':
          user = withEmail!;
          break;
        case 'create': {
          user = em.create(User, { email: identity.email!, passwordHash: null, name: identity.name ?? null });
          const owner = identity.name ?? identity.email!.split('@')[0];
          const { workspace } = this.workspaces.createOwned(em, user, `${owner}'s workspace`.slice(0, 200));
          await em.flush();
          await record(
            `user-${user.id}`,
            workspace.id,
            [{ type: 'UserRegistered', data: { userId: user.id, via: 'oidc' } }],
            'no_stream',
          );
          await record(
            `workspace-${workspace.id}`,
            workspace.id,
            [
              { type: 'WorkspaceCreated', data: { workspaceId: workspace.id, name: workspace.name, ownerId: user.id } },
              { type: 'MemberAdded', data: { workspaceId: workspace.id, userId: user.id, role: 'admin' } },
            ],
            'no_stream',
          );
          changed.push({ workspaceId: workspace.id, role: 'admin' });
          break;
        }
        default: {
          const never: never = decision;
          throw new Error(`unknown decision ${JSON.stringify(never)}`);
        }
      }
      if (decision.kind !== 'known') {
        await em.execute(`insert into identity.oidc_identities (issuer, subject, user_id, created_at) values (?, ?, ?, now())`, [
          identity.issuer,
          identity.subject,
          user.id,
        ]);
        // Recorded in each workspace of the user (no email, no subject: personal data stays out of the log).
        for (const { id: workspaceId } of await this.workspaces.listForUser(em, user.id)) {
          await record(
            signInStreamOf(user.id, workspaceId),
            workspaceId,
            [{ type: 'OidcIdentityLinked', data: { userId: user.id, issuer: identity.issuer } }],
            'any',
          );
        }
      }
      if (identity.mappedRole && settings.workspaceId) {
        const grant = await this.grantMappedRole(em, record, user, settings.workspaceId, identity.mappedRole);
        if (grant) changed.push(grant);
      }
      return { user, changed };
    });
  }

  /**
   * Gives the user the role their groups map to in `OIDC_WORKSPACE_ID` (joins them, or changes
   * their role there to it); nothing when they already have it. A user whose groups map to no
   * role keeps whatever membership they have.
   */
  private async grantMappedRole(
    em: EntityManager,
    record: Parameters<Parameters<AuditLog['transaction']>[1]>[1],
    user: User,
    workspaceId: string,
    role: Role,
  ): Promise<{ workspaceId: string; role: Role } | undefined> {
    const workspace = await em.findOne(Workspace, { id: workspaceId });
    if (!workspace) {
      this.log.warn(`OIDC_WORKSPACE_ID ${workspaceId} names no workspace: the groups role is not granted`);
      return undefined;
    }
    const existing = await em.findOne(Membership, { user: user.id, workspace: workspaceId });
    if (existing?.role === role) return undefined;
    if (existing) {
      const from = existing.role;
      existing.role = role;
      await em.flush();
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [{ type: 'RoleChanged', data: { workspaceId, userId: user.id, from, to: role, via: 'oidc' } }],
        'any',
      );
    } else {
      em.create(Membership, { workspace, user, role });
      await em.flush();
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [{ type: 'MemberJoined', data: { workspaceId, userId: user.id, role, via: 'oidc' } }],
        'any',
      );
    }
    return { workspaceId, role };
  }

  private settings(): OidcConfig {
    if (!this.config.oidc) throw new FlowstackError('not_found', 'OIDC login is not configured on this server');
    return this.config.oidc;
  }

  /** The provider's metadata and keys, discovered once; a failed discovery is retried on the next call. */
  private provider(settings: OidcConfig): Promise<oidc.Configuration> {
    this.discovered ??= oidc
      .discovery(
        new URL(settings.issuerUrl),
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        {
          // openid-client, like OIDC Core 3.1.3.7, trusts TLS for an ID token fetched from the token
          // endpoint and skips its signature; checked here anyway, so a token altered on the way (a
          // TLS-terminating proxy, a compromised hop) is refused rather than believed.
          execute: settings.allowHttp
            ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks]
            : [oidc.enableNonRepudiationChecks],
        },
      )
      .catch((e: unknown) => {
        this.discovered = undefined;
        throw new FlowstackError(
          'unavailable',
          `the identity provider at ${settings.issuerUrl} could not be reached: ${e instanceof Error ? e.message : String(e)}`,
          undefined,
          5,
        );
      });
    return this.discovered;
  }
}
