/** What the example needs of a webhook just made: its full URL, how it authenticates, its secret. */
export interface HookExampleInput {
  url: string;
  auth: 'hmac' | 'token';
  secret: string;
}

/** The JSON body the example sends: the run's input. */
export const EXAMPLE_BODY = '{"hello":"world"}';

/** Quotes a value for a POSIX shell (single quotes, an inner quote closed and escaped). */
const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A shell script (bash, curl, openssl) that calls the webhook once, as the README documents it:
 * for `hmac` it signs `<unix seconds>.<body>` with HMAC-SHA256 (`X-Flowstack-Signature: v1=<hex>`),
 * for `token` it sends the secret in `X-Flowstack-Token`. The secret is written into the script,
 * so it is shown only where the secret itself is: once, right after creation.
 */
export function hookCallExample({ url, auth, secret }: HookExampleInput): string {
  const head = [`URL=${shellQuote(url)}`, `SECRET=${shellQuote(secret)}`, `BODY=${shellQuote(EXAMPLE_BODY)}`];
  if (auth === 'token') {
    return [...head, `curl -X POST "$URL" -H 'content-type: application/json' -H "x-flowstack-token: $SECRET" -d "$BODY"`].join(
      '\n',
    );
  }
  return [
    ...head,
    'TS=$(date +%s)',
    `SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.* //')`,
    `curl -X POST "$URL" -H 'content-type: application/json' -H "x-flowstack-timestamp: $TS" -H "x-flowstack-signature: v1=$SIG" -d "$BODY"`,
  ].join('\n');
}
