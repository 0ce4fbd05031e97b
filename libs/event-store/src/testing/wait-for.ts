/**
 * Polls a condition until it holds, failing with `what` after the deadline. Waiting on a condition
 * (not sleeping a fixed time) keeps tests fast when things are quick and correct when they are slow.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  // Below Jest's default 5 s test timeout, so a stuck wait fails with its own message.
  { timeoutMs = 4_000, everyMs = 10 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
