import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A user of the test provider: the claims its ID tokens carry. */
export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export const TEST_CLIENT_ID = 'flowstack-test';
export const TEST_CLIENT_SECRET = 'flowstack-test-client-secret';

/**
 * A real, certified OpenID provider (`oidc-provider`) on loopback with one confidential client
 * that must use PKCE (S256), and an interaction endpoint that logs in whichever account the test
 * named with `loginAs` (no UI: the login and consent prompts are finished over HTTP).
 *
 * The issuer address is a small pass-through proxy in front of the provider, so a test can tamper
 * with what the token endpoint answers (`tamperNextIdToken`) as a man in the middle would.
 */
export class TestOidcProvider {
  private readonly accounts = new Map<string, TestAccount>();
  private nextAccount: string | undefined;
  private tamper: ((payload: Record<string, unknown>) => Record<string, unknown>) | undefined;

  private constructor(
    readonly issuer: string,
    private readonly servers: Server[],
  ) {}

  static async start(redirectUri: string): Promise<TestOidcProvider> {
    const front = createServer();
    await listen(front);
    const issuer = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    const back = createServer();
    const self = new TestOidcProvider(issuer, [front, back]);
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: TEST_CLIENT_ID,
          client_secret: TEST_CLIENT_SECRET,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      pkce: { required: () => true },
      scopes: ['openid', 'email', 'profile', 'groups'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
      // The claims of the granted scopes go into the ID token itself (not only the userinfo endpoint).
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['test-provider-cookie-key-0123456789'] },
      findAccount: (_ctx: unknown, sub: string) => {
        const account = self.accounts.get(sub);
        return account && { accountId: sub, claims: () => ({ ...account }) };
      },
    });
    const handle = provider.callback();
    back.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        self.interact(provider, req, res).catch((e: unknown) => {
          res.statusCode = 500;
          res.end(String(e));
        });
        return;
      }
      handle(req, res);
    });
    await listen(back);
    const backPort = (back.address() as AddressInfo).port;
    front.on('request', (req, res) => {
      self.forward(backPort, req, res).catch((e: unknown) => {
        res.statusCode = 502;
        res.end(String(e));
      });
    });
    return self;
  }

  addAccount(account: TestAccount): void {
    this.accounts.set(account.sub, account);
  }

  /** The account the next interaction logs in. */
  loginAs(sub: string): void {
    this.nextAccount = sub;
  }

  /** Rewrites the payload of the next ID token the token endpoint sends, keeping its signature. */
  tamperNextIdToken(change: (payload: Record<string, unknown>) => Record<string, unknown>): void {
    this.tamper = change;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }

  private async interact(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!this.nextAccount) throw new Error('no test account to log in (call loginAs first)');
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: this.nextAccount } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    // consent: grant exactly what the client asked for
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) as NonNullable<Awaited<ReturnType<Provider['Grant']['find']>>>)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  /** Passes a request through unchanged (fetch would replace `Host`, which the provider builds its URLs from). */
  private async forward(backPort: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
      const out = request(
        { host: '127.0.0.1', port: backPort, method: req.method, path: req.url, headers: req.headers },
        resolve,
      );
      out.on('error', reject);
      out.end(Buffer.concat(chunks));
    });
    const answer: Buffer[] = [];
    for await (const chunk of upstream) answer.push(chunk as Buffer);
    let body = Buffer.concat(answer);
    const status = upstream.statusCode ?? 502;
    if (req.url?.startsWith('/token') && this.tamper && status === 200) {
      const json = JSON.parse(body.toString('utf8')) as { id_token: string };
      const [header, payload, signature] = json.id_token.split('.');
      const changed = this.tamper(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>);
      this.tamper = undefined;
      json.id_token = [header, Buffer.from(JSON.stringify(changed)).toString('base64url'), signature].join('.');
      body = Buffer.from(JSON.stringify(json));
    }
    const headers = { ...upstream.headers };
    delete headers['content-length'];
    delete headers['transfer-encoding'];
    delete headers.connection;
    res.writeHead(status, { ...headers, 'content-length': body.length });
    res.end(body);
  }
}

const listen = (server: Server): Promise<void> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve()));

/** A browser's cookie jar for one host: enough for the provider's interaction and session cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * What a browser does between "Sign in with SSO" and the provider's redirect back: starts the
 * login at the gateway, follows the provider's redirects (its interaction logs in the test's
 * account), and stops at the callback URL. Returns it with the gateway's cookies.
 */
export async function browseToCallback(
  gatewayUrl: string,
  provider: TestOidcProvider,
): Promise<{ callbackUrl: string; gatewayCookies: CookieJar }> {
  const gatewayCookies = new CookieJar();
  const start = await fetch(`${gatewayUrl}/api/v1/auth/oidc/login`, { redirect: 'manual' });
  if (start.status !== 302) throw new Error(`login answered ${start.status}: ${await start.text()}`);
  gatewayCookies.store(start);
  const providerCookies = new CookieJar();
  let url = new URL(start.headers.get('location')!);
  for (let hop = 0; hop < 20; hop++) {
    if (!url.href.startsWith(provider.issuer)) return { callbackUrl: url.href, gatewayCookies };
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: providerCookies.header() } });
    providerCookies.store(res);
    const location = res.headers.get('location');
    if (!location)
      throw new Error(`the provider answered ${res.status} at ${url.pathname} without a redirect: ${await res.text()}`);
    url = new URL(location, url);
  }
  throw new Error('too many redirects at the provider');
}
