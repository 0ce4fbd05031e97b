import type { Role } from '@flowstack/contracts';

/** What identity needs from a validated ID token (signature, `iss`, `aud`, `exp` and nonce already checked). */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** Lower-cased and trimmed, as passwords accounts store it; undefined when the claim is absent. */
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  /** The highest role the groups claim maps to (`OIDC_GROUP_ROLES`); undefined when none maps. */
  mappedRole: Role | undefined;
}

/** `group=role` pairs of `OIDC_GROUP_ROLES`, in any order. */
export type GroupRoles = ReadonlyMap<string, Role>;

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * Reads the claims of a validated ID token. `email_verified` counts only when it is the JSON
 * boolean `true` (some providers send the string "true": treated as true too; anything else is
 * unverified). Groups may be an array of strings or one string.
 */
export function identityFromClaims(
  claims: Record<string, unknown>,
  groupsClaim: string | undefined,
  groupRoles: GroupRoles,
): OidcIdentity {
  const email = typeof claims.email === 'string' && claims.email.trim() ? claims.email.trim().toLowerCase() : undefined;
  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : undefined;
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email,
    emailVerified: email !== undefined && verified,
    name,
    mappedRole: groupsClaim ? highestRole(groupsOf(claims[groupsClaim]), groupRoles) : undefined,
  };
}

function groupsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
}

/** The highest role any of the groups maps to; undefined when none does. */
export function highestRole(groups: readonly string[], groupRoles: GroupRoles): Role | undefined {
  let best: Role | undefined;
  for (const group of groups) {
    const role = groupRoles.get(group);
    if (role && (!best || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/** How a validated identity maps to a Flowstack account. */
export type AccountDecision =
  | { kind: 'known'; userId: string }
  | { kind: 'link'; userId: string }
  | { kind: 'create' }
  | { kind: 'refuse'; reason: 'no_email' | 'unverified_email' };

/**
 * `linkedUserId`: the user already linked to (issuer, subject); `userIdWithEmail`: the account that
 * has the token's email, if any. A linked identity signs in whatever its email says now; otherwise
 * the email is the account key, so it must be present and verified by the provider before it may
 * either create an account or be linked to an existing password account (anyone can claim an
 * unverified address at some providers).
 */
export function decideAccount(
  identity: OidcIdentity,
  linkedUserId: string | undefined,
  userIdWithEmail: string | undefined,
): AccountDecision {
  if (linkedUserId) return { kind: 'known', userId: linkedUserId };
  if (!identity.email) return { kind: 'refuse', reason: 'no_email' };
  if (!identity.emailVerified) return { kind: 'refuse', reason: 'unverified_email' };
  return userIdWithEmail ? { kind: 'link', userId: userIdWithEmail } : { kind: 'create' };
}
