/** What replaces a secret in a log line. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets that may slip into a log line (an error message quoting a header, a URL with a password),
 * each with what stays visible: enough to tell which credential it was, never enough to use it.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\/\/([^:/@\s]+):[^@/\s]+@/g, '//$1:***@'],
  [/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]+/g, REDACTED],
  [/\b(fsk_[0-9a-f]{8}_)[\w-]+/g, `$1${REDACTED}`],
  [/\bv1:[A-Za-z0-9+/]{43}=/g, `v1:${REDACTED}`],
  [/\b(sk-(?:ant-)?)[\w-]{12,}/g, `$1${REDACTED}`],
  [/\b(password|passwd|secret|token|api[_-]?key|client[_-]?secret)("\s*:\s*")[^"]*/gi, `$1$2${REDACTED}`],
  [/\b(password|passwd|secret|token|api[_-]?key|client[_-]?secret)(\s*[:=]\s*)(?!["[])[^\s"',;&]+/gi, `$1$2${REDACTED}`],
];

/** Keys whose values are never logged, in objects given to the logger (`logger.log({ ... })`). */
export const SECRET_KEYS = [
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'clientSecret',
  'apiKey',
  'authorization',
  'masterKey',
  'value',
];

/** A log text with every recognisable secret replaced (`Bearer [REDACTED]`, `//user:***@`, ...). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
