import { Agent, request } from 'undici';
import { blockedLiteralHost, publicOnlyLookup } from '@flowstack/service-kit';

/** How one POST to a receiver went: its status (null when none came) and, unless 2xx, why. */
export interface SendResult {
  status: number | null;
  error: string | null;
}

const TIMEOUT_MS = 10_000;

class AddressNotAllowed extends Error {}

const refused = (host: string, address: string): AddressNotAllowed =>
  new AddressNotAllowed(
    `address_not_allowed: refusing to call ${host} (${address}): private, loopback and link-local addresses are blocked ` +
      '(TOOL_HTTP_ALLOW_PRIVATE=true allows them in a trusted deployment)',
  );

/**
 * POSTs notification bodies under the outbound guard of http tools (`@flowstack/service-kit`'s
 * `isPublicAddress`, checked on IP literals and at connect time against DNS rebinding), with a
 * 10 s timeout and no redirects. Never throws: every failure is a `SendResult`.
 */
export class NotificationSender {
  private readonly agent: Agent;

  constructor(private readonly allowPrivateNetwork: boolean) {
    this.agent = new Agent({
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      ...(allowPrivateNetwork ? {} : { connect: { lookup: publicOnlyLookup(refused) } }),
    });
  }

  async send(url: string, body: unknown, deliveryId: string): Promise<SendResult> {
    const target = new URL(url);
    const blocked = this.allowPrivateNetwork ? undefined : blockedLiteralHost(target);
    if (blocked) return { status: null, error: refused(target.hostname, blocked).message };
    try {
      const res = await request(target, {
        method: 'POST',
        dispatcher: this.agent,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Flowstack-Notifications/1',
          'x-flowstack-delivery': deliveryId,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = (await res.body.text()).slice(0, 200);
      if (res.statusCode >= 200 && res.statusCode < 300) return { status: res.statusCode, error: null };
      return { status: res.statusCode, error: `the receiver answered ${res.statusCode}${text ? `: ${text}` : ''}` };
    } catch (e) {
      const cause = (e as { cause?: unknown }).cause;
      const why = cause instanceof AddressNotAllowed ? cause : e;
      return { status: null, error: why instanceof Error ? why.message : String(why) };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
