import { z } from 'zod';

/** `identity.oidc.begin`: nothing; the settings come from identity's environment. */
export const oidcBeginRequestSchema = z.object({});

/** `identity.oidc.complete`: the callback's query string as the gateway received it. */
export const oidcCompleteRequestSchema = z.object({
  query: z.string().max(8192),
  /** The state cookie the gateway set on this browser at login: the callback must come from that browser. */
  browserState: z.string().max(512).optional(),
  clientIp: z.string().max(100).optional(),
  userAgent: z.string().max(1000).optional(),
});
export type OidcCompleteRequest = z.output<typeof oidcCompleteRequestSchema>;
