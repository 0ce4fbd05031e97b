/**
 * The token in `#token=<jwt>`, or undefined for any other fragment. A malformed one (a broken
 * percent escape, an oversized value) is undefined too: the sign-in page shows, the app does not crash.
 */
export function tokenOfFragment(hash: string): string | undefined {
  const match = /^#token=([^&]{1,8192})$/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
