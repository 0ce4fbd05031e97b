/**
 * Identity's OpenID Connect login subjects (queue group `identity`), called by the gateway's two
 * public routes. Begin and complete answer `not_found` when OIDC is not configured.
 */
export const OidcRpc = {
  /** `{}` -> `{ authorizationUrl, state }`: the provider's URL with state, nonce and PKCE challenge. */
  oidcBegin: 'identity.oidc.begin',
  /**
   * `{ query (the callback's raw query string), clientIp?, userAgent? }` -> `AuthResult`: the code
   * exchanged, the ID token validated, the user found, linked or created.
   */
  oidcComplete: 'identity.oidc.complete',
  /** `{}` -> `{ enabled }`: whether single sign-on is configured (the web app shows its button). Never `not_found`. */
  oidcStatus: 'identity.oidc.status',
} as const;
