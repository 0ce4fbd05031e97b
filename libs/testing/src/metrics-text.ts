/**
 * The value of one series in a Prometheus text-format scrape: the sample named `name` whose labels
 * include every pair of `labels` (others may be there too, e.g. `service`). `undefined` when no such
 * sample exists. Enough for tests; not a full parser (no escaped quotes in label values).
 */
export function metricValue(scrape: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of scrape.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) return Number(match[3]);
  }
  return undefined;
}

/** Fetches a `/metrics` URL and answers the text, failing on any status but 200. */
export async function scrapeMetrics(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.text();
}
