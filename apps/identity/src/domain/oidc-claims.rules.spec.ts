import { decideAccount, highestRole, identityFromClaims, type GroupRoles } from './oidc-claims.rules';

const roles: GroupRoles = new Map([
  ['fs-admins', 'admin'],
  ['fs-editors', 'editor'],
  ['staff', 'viewer'],
]);
const base = { iss: 'https://idp.example/realms/acme', sub: 'abc' };

describe('identityFromClaims', () => {
  it('lower-cases the email and keeps it verified only for email_verified true', () => {
    expect(identityFromClaims({ ...base, email: ' Ada@Example.COM ', email_verified: true }, undefined, roles)).toMatchObject({
      email: 'ada@example.com',
      emailVerified: true,
      mappedRole: undefined,
    });
    expect(identityFromClaims({ ...base, email: 'a@b.c', email_verified: false }, undefined, roles).emailVerified).toBe(false);
    expect(identityFromClaims({ ...base, email: 'a@b.c' }, undefined, roles).emailVerified).toBe(false);
    expect(identityFromClaims({ ...base, email_verified: true }, undefined, roles)).toMatchObject({
      email: undefined,
      emailVerified: false,
    });
  });

  it('maps the groups claim to the highest role, ignoring unknown groups and non-strings', () => {
    const claims = { ...base, groups: ['other', 'staff', 'fs-editors', 7] };
    expect(identityFromClaims(claims, 'groups', roles).mappedRole).toBe('editor');
    expect(identityFromClaims({ ...base, roles: 'fs-admins' }, 'roles', roles).mappedRole).toBe('admin');
    expect(identityFromClaims({ ...base, groups: ['other'] }, 'groups', roles).mappedRole).toBeUndefined();
    expect(identityFromClaims(claims, undefined, roles).mappedRole).toBeUndefined();
  });

  it('highestRole prefers admin over editor over viewer', () => {
    expect(highestRole(['fs-admins', 'staff'], roles)).toBe('admin');
    expect(highestRole([], roles)).toBeUndefined();
  });
});

describe('decideAccount', () => {
  const verified = identityFromClaims({ ...base, email: 'a@b.c', email_verified: true }, undefined, roles);
  const unverified = identityFromClaims({ ...base, email: 'a@b.c', email_verified: false }, undefined, roles);

  it('signs in a linked identity whatever its email says', () => {
    expect(decideAccount(unverified, 'u1', 'u2')).toEqual({ kind: 'known', userId: 'u1' });
  });
  it('links a verified email to the existing account', () => {
    expect(decideAccount(verified, undefined, 'u2')).toEqual({ kind: 'link', userId: 'u2' });
  });
  it('creates an account for a new verified email', () => {
    expect(decideAccount(verified, undefined, undefined)).toEqual({ kind: 'create' });
  });
  it('refuses an unverified or missing email, to link or to create', () => {
    expect(decideAccount(unverified, undefined, 'u2')).toEqual({ kind: 'refuse', reason: 'unverified_email' });
    expect(decideAccount(unverified, undefined, undefined)).toEqual({ kind: 'refuse', reason: 'unverified_email' });
    const noEmail = identityFromClaims(base, undefined, roles);
    expect(decideAccount(noEmail, undefined, undefined)).toEqual({ kind: 'refuse', reason: 'no_email' });
  });
});
