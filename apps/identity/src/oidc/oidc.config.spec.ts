import { loadOidcConfig, parseGroupRoles } from './oidc.config';

const base = {
  OIDC_ISSUER_URL: 'https://sso.example.com/realms/acme',
  OIDC_CLIENT_ID: 'flowstack',
  OIDC_REDIRECT_URI: 'https://flowstack.example.com/api/v1/auth/oidc/callback',
};

describe('loadOidcConfig', () => {
  it('is off without OIDC_ISSUER_URL', () => {
    expect(loadOidcConfig({})).toBeUndefined();
  });
  it('reads a public client with the default scopes', () => {
    expect(loadOidcConfig(base)).toMatchObject({
      clientSecret: undefined,
      scopes: 'openid email profile',
      allowHttp: false,
      loginTtlSeconds: 600,
    });
  });
  it('refuses plain http except on loopback', () => {
    expect(() => loadOidcConfig({ ...base, OIDC_ISSUER_URL: 'http://sso.example.com/realms/acme' })).toThrow(
      /OIDC_ISSUER_URL must be an https URL/,
    );
    expect(loadOidcConfig({ ...base, OIDC_ISSUER_URL: 'http://127.0.0.1:9000' })?.allowHttp).toBe(true);
  });
  it('names the missing variable', () => {
    expect(() => loadOidcConfig({ ...base, OIDC_CLIENT_ID: '' })).toThrow(/OIDC_CLIENT_ID is required/);
    expect(() => loadOidcConfig({ ...base, OIDC_REDIRECT_URI: undefined })).toThrow(/OIDC_REDIRECT_URI is required/);
    expect(() => loadOidcConfig({ ...base, OIDC_REDIRECT_URI: '/relative' })).toThrow(
      /OIDC_REDIRECT_URI must be an absolute URL/,
    );
  });
  it('needs a workspace for group roles and adds openid to the scopes', () => {
    expect(() => loadOidcConfig({ ...base, OIDC_GROUP_ROLES: 'a=admin' })).toThrow(/needs OIDC_WORKSPACE_ID/);
    const config = loadOidcConfig({
      ...base,
      OIDC_SCOPES: 'email groups',
      OIDC_GROUP_ROLES: 'a=admin',
      OIDC_WORKSPACE_ID: '0b6a1f1e-3c1d-4a5e-9f2a-1a2b3c4d5e6f',
    });
    expect(config).toMatchObject({ scopes: 'email groups openid', groupsClaim: 'groups' });
  });
});

describe('parseGroupRoles', () => {
  it('reads pairs and refuses unknown roles', () => {
    expect([...parseGroupRoles(' fs-admins=admin, team=a=editor ')]).toEqual([
      ['fs-admins', 'admin'],
      ['team=a', 'editor'],
    ]);
    expect(() => parseGroupRoles('x=owner')).toThrow(/group=role pairs/);
    expect(() => parseGroupRoles('=admin')).toThrow(/group=role pairs/);
  });
});
