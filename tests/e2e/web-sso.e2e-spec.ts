import { randomUUID } from 'node:crypto';
import { freePort, startPlatform, type TestPlatform } from '@flowstack/testing';
import { buildWebIfStale, launchBrowser } from './browser';
import { TEST_CLIENT_ID, TEST_CLIENT_SECRET, TestOidcProvider } from './oidc-test-provider';

jest.setTimeout(150_000);

const STEP = 20_000;

/**
 * Single sign-on in the web app, in a real browser: the sign-in page offers SSO only where it is
 * configured; the button goes through the real OpenID provider (authorization code + PKCE) and back
 * to the app signed in, with the token taken out of the address bar.
 */
describe('web app: single sign-on', () => {
  let provider: TestOidcProvider;
  let platform: TestPlatform;
  let plain: TestPlatform;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    buildWebIfStale();
    const port = await freePort();
    provider = await TestOidcProvider.start(`http://127.0.0.1:${port}/api/v1/auth/oidc/callback`);
    // One after the other: two platforms starting at once on a loaded 2-core machine is slow.
    platform = await startPlatform({
      label: 'websso',
      gatewayPort: port,
      env: {
        OIDC_ISSUER_URL: provider.issuer,
        OIDC_CLIENT_ID: TEST_CLIENT_ID,
        OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
        OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`,
      },
    });
    plain = await startPlatform({ label: 'webnosso' });
    browser = await launchBrowser(STEP);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([platform?.stop(), plain?.stop()]);
    await provider?.stop();
  });

  it('answers whether SSO is configured', async () => {
    const on = await fetch(`${platform.baseUrl}/api/v1/auth/oidc/status`);
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ enabled: true });
    expect(await (await fetch(`${plain.baseUrl}/api/v1/auth/oidc/status`)).json()).toEqual({ enabled: false });
  });

  it('signs in through the OpenID provider and lands in the app without the token in the address bar', async () => {
    const email = `sso-${randomUUID()}@example.com`;
    const sub = randomUUID();
    provider.addAccount({ sub, email, email_verified: true, name: 'SSO User' });
    provider.loginAs(sub);

    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(`${platform.baseUrl}/`);
    await page.getByTestId('sso-login').click();
    // Provider, consent, callback, then the app reads `#token=` and asks who it is.
    await page.getByText(email).waitFor();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(page.url()).not.toContain('token');
    // The session works for the API as any login does.
    const stored = await page.evaluate<string>('sessionStorage.getItem("flowstack.session")');
    const session = JSON.parse(stored) as { token: string };
    const me = await fetch(`${platform.baseUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${session.token}` } });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(email);
  });

  it('offers no SSO button where it is not configured', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${plain.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // The status answer has arrived once the form is interactive; give it the same chance.
    await page.waitForLoadState('networkidle');
    expect(await page.getByTestId('sso-login').count()).toBe(0);
    await page.close();
  });
});
