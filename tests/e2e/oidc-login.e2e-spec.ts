import { randomUUID } from 'node:crypto';
import { freePort, startService } from '@flowstack/testing';
import { ApiClient, registerTenant } from './api-client';
import { startIdentityPair as startPair, type IdentityPair as Pair } from './identity-pair';
import { browseToCallback, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TestOidcProvider, type CookieJar } from './oidc-test-provider';

jest.setTimeout(120_000);

/** The callback as the browser would load it: with the gateway's state cookie, asking for JSON. */
const callback = (url: string, cookies: CookieJar | string, accept = 'application/json') =>
  fetch(url, {
    redirect: 'manual',
    headers: { cookie: typeof cookies === 'string' ? cookies : cookies.header(), accept, 'user-agent': 'oidc-e2e' },
  });

const json = async (res: Response): Promise<any> => JSON.parse(await res.text());

describe('OIDC login (authorization code + PKCE) against a real OpenID provider', () => {
  let provider: TestOidcProvider;
  let pair: Pair;
  let api: ApiClient;

  beforeAll(async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`;
    provider = await TestOidcProvider.start(redirectUri);
    pair = await startPair('oidc', port, {
      OIDC_ISSUER_URL: provider.issuer,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      OIDC_REDIRECT_URI: redirectUri,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_POST_LOGIN_URL: '/app/',
    });
    api = new ApiClient(pair.baseUrl);
  });
  afterAll(async () => {
    await pair?.stop();
    await provider?.stop();
  });

  const account = (email: string, verified = true, extra: Record<string, unknown> = {}) => {
    const sub = randomUUID();
    provider.addAccount({ sub, email, email_verified: verified, name: 'Test User', ...extra });
    provider.loginAs(sub);
    return sub;
  };

  it('redirects to the provider with state, nonce and an S256 PKCE challenge, and binds the state to the browser', async () => {
    const res = await fetch(`${pair.baseUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.href.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    const q = location.searchParams;
    expect(q.get('client_id')).toBe(TEST_CLIENT_ID);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('scope')).toBe('openid email profile groups');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('flowstack_oidc_state='))!;
    expect(cookie).toContain(`flowstack_oidc_state=${q.get('state')}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('signs a new user in through the whole flow: a Flowstack token, the user and their new workspace', async () => {
    const email = `sso-${randomUUID()}@example.com`;
    const sub = account(email);
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    expect(new URL(callbackUrl).searchParams.get('code')).toBeTruthy();
    const res = await callback(callbackUrl, gatewayCookies);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body.user).toMatchObject({ email, name: 'Test User' });
    expect(body.workspaces).toEqual([{ id: expect.any(String), name: "Test User's workspace", role: 'admin' }]);
    const me = await api.as(body.token).get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(body.user.id);
    const audit = await api.as(body.token).get('/api/v1/audit?type=LoginSucceeded');
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        actor: { id: body.user.id, type: 'user' },
        data: expect.objectContaining({ method: 'oidc', userAgent: 'oidc-e2e' }),
      }),
    ]);

    // The second login of the same subject is the same account, with no second workspace.
    provider.loginAs(sub);
    const again = await browseToCallback(pair.baseUrl, provider);
    const second = await json(await callback(again.callbackUrl, again.gatewayCookies));
    expect(second.user.id).toBe(body.user.id);
    expect(second.workspaces).toHaveLength(1);
  });

  it('answers a browser with a redirect to the web app carrying the token in the fragment', async () => {
    account(`browser-${randomUUID()}@example.com`);
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    const res = await callback(callbackUrl, gatewayCookies, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/app\/#token=[\w.-]+$/);
    const token = decodeURIComponent(location.split('#token=')[1]);
    expect((await api.as(token).get('/api/v1/auth/me')).status).toBe(200);
    expect(res.headers.getSetCookie().join(';')).toMatch(/flowstack_oidc_state=;/);
  });

  it('refuses a replayed callback: the state is single-use', async () => {
    account(`replay-${randomUUID()}@example.com`);
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    expect((await callback(callbackUrl, gatewayCookies)).status).toBe(200);
    const replay = await callback(callbackUrl, gatewayCookies);
    expect(replay.status).toBe(401);
    expect(replay.headers.get('content-type')).toContain('application/problem+json');
    expect(await json(replay)).toMatchObject({
      code: 'unauthenticated',
      detail: expect.stringMatching(/already used or expired login state/),
    });
  });

  it("refuses a state that is not this browser's, and one that identity never issued", async () => {
    account(`csrf-${randomUUID()}@example.com`);
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    // An attacker's callback URL loaded in a victim's browser: the victim holds another state, or none.
    const other = await fetch(`${pair.baseUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
    const otherCookie = other.headers.getSetCookie()[0].split(';')[0];
    for (const cookie of [otherCookie, '']) {
      const res = await callback(callbackUrl, cookie);
      expect(res.status).toBe(401);
      expect(await json(res)).toMatchObject({ detail: expect.stringMatching(/does not match this browser/) });
    }
    // Not consumed by the mismatches: the browser that started it still completes it.
    expect((await callback(callbackUrl, gatewayCookies)).status).toBe(200);

    const forged = new URL(callbackUrl);
    forged.searchParams.set('state', 'forged-state');
    const res = await callback(forged.href, 'flowstack_oidc_state=forged-state');
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ detail: expect.stringMatching(/already used or expired login state/) });
  });

  it('refuses an ID token changed on the way (its signature no longer matches) and creates no account', async () => {
    account(`victim-${randomUUID()}@example.com`);
    const mallory = `mallory-${randomUUID()}@example.com`;
    provider.tamperNextIdToken((payload) => ({ ...payload, email: mallory }));
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    const res = await callback(callbackUrl, gatewayCookies);
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ code: 'unauthenticated', detail: expect.stringMatching(/answer was refused/) });
    // No account for the forged email: registering it is still possible.
    expect((await api.post('/api/v1/auth/register', { email: mallory, password: 'correct horse battery' })).status).toBe(201);
  });

  it('links a verified email to the existing password account instead of creating a second one', async () => {
    const email = `ada-${randomUUID()}@example.com`;
    const registered = await api.post('/api/v1/auth/register', { email, password: 'correct horse battery' });
    expect(registered.status).toBe(201);
    account(email.toUpperCase());
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    const res = await callback(callbackUrl, gatewayCookies);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.user.id).toBe(registered.body.user.id);
    expect(body.workspaces).toEqual([{ id: registered.body.workspace.id, name: registered.body.workspace.name, role: 'admin' }]);
    // The password still works.
    expect((await api.post('/api/v1/auth/login', { email, password: 'correct horse battery' })).status).toBe(200);
  });

  it('refuses an email the provider has not verified (to link or to create), and one it does not send', async () => {
    const email = `bob-${randomUUID()}@example.com`;
    expect((await api.post('/api/v1/auth/register', { email, password: 'correct horse battery' })).status).toBe(201);
    for (const address of [email, `new-${randomUUID()}@example.com`]) {
      account(address, false);
      const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
      const res = await callback(callbackUrl, gatewayCookies);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await json(res)).toMatchObject({
        code: 'forbidden',
        detail: `the identity provider has not verified the email ${address}: verify it there, then sign in again`,
      });
    }
    const sub = randomUUID();
    provider.addAccount({ sub });
    provider.loginAs(sub);
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    const res = await callback(callbackUrl, gatewayCookies);
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ detail: expect.stringMatching(/sent no email/) });
  });

  it('grants the role the groups claim maps to in OIDC_WORKSPACE_ID', async () => {
    const owner = await registerTenant(api, 'org-owner');
    // Identity restarted with the mapping (the workspace exists only now).
    await pair.identity.stop();
    pair.identity = await startService('identity', {
      ...pair.env,
      OIDC_GROUPS_CLAIM: 'groups',
      OIDC_GROUP_ROLES: 'fs-admins=admin,fs-editors=editor',
      OIDC_WORKSPACE_ID: owner.workspaceId,
    });
    account(`editor-${randomUUID()}@example.com`, true, { groups: ['staff', 'fs-editors'] });
    const { callbackUrl, gatewayCookies } = await browseToCallback(pair.baseUrl, provider);
    const res = await callback(callbackUrl, gatewayCookies);
    const body = await json(res);
    expect({ status: res.status, detail: body.detail }).toEqual({ status: 200, detail: undefined });
    expect(body.workspaces).toContainEqual({ id: owner.workspaceId, name: expect.any(String), role: 'editor' });
    // The gateway knows the membership: the editor reads the members there, and may not manage API keys.
    const asEditor = api.as(body.token, owner.workspaceId);
    expect((await asEditor.get(`/api/v1/workspaces/${owner.workspaceId}/members`)).status).toBe(200);
    expect((await asEditor.post(`/api/v1/workspaces/${owner.workspaceId}/api-keys`, { name: 'k', role: 'viewer' })).status).toBe(
      403,
    );
  });
});

describe('OIDC login when it is not configured', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair('oidcoff', await freePort(), {});
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it('answers 404 problem+json on both routes', async () => {
    for (const path of ['/api/v1/auth/oidc/login', '/api/v1/auth/oidc/callback?code=x&state=y']) {
      const res = await fetch(`${pair.baseUrl}${path}`, { redirect: 'manual', headers: { cookie: 'flowstack_oidc_state=y' } });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await json(res)).toMatchObject({ code: 'not_found', detail: 'OIDC login is not configured on this server' });
    }
  });
});
