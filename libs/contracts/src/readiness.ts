/**
 * The process-wide list of what a service needs to do its work (its Postgres pool, its NATS
 * connection, the JetStream streams and consumers it uses), each with a check. Here, in contracts,
 * because the libs that open those resources (`@flowstack/messaging`, `@flowstack/service-kit`)
 * may not depend on each other; the ops listener of `runService` and the gateway's health
 * controller read it for `GET /health/readiness`.
 *
 * A check resolves when the dependency answers and throws (or rejects) with the reason when it does
 * not. Checks run concurrently, each bounded by a timeout, only when readiness is asked for.
 */
export type ReadinessCheck = () => unknown;

/** One dependency's state in a readiness answer. */
export interface ReadinessEntry {
  name: string;
  status: 'ok' | 'failing';
  /** Why it fails (a connection error, a missing stream); never a secret (URLs are redacted by the caller). */
  error?: string;
}

/** The answer of `GET /health/readiness`. */
export interface ReadinessReport {
  status: 'ok' | 'failing';
  checks: ReadinessEntry[];
}

interface Registry {
  checks: Map<string, ReadinessCheck>;
  /**
   * Set while the service is still starting (`markStarting` .. `markStarted`): the ops port listens
   * before anything connects, and a check is registered only once its dependency is open, so
   * without this flag a half-started service (Postgres open, NATS still connecting) answered 200.
   */
  starting: boolean;
  /** Set when the process starts shutting down: it takes no new work, so it is not ready. */
  draining: boolean;
}

// One registry per process even if two copies of this module are loaded.
const KEY = Symbol.for('flowstack.readiness');
const registry = ((globalThis as Record<symbol, unknown>)[KEY] ??= {
  checks: new Map<string, ReadinessCheck>(),
  starting: false,
  draining: false,
} satisfies Registry) as Registry;

/**
 * Adds a dependency under a unique name (`postgres`, `nats`, `stream:WORK`, `consumer:WORK/tool-runner`);
 * registering a name again replaces its check. Returns a function that removes it.
 */
export function registerReadinessCheck(name: string, check: ReadinessCheck): () => void {
  registry.checks.set(name, check);
  return () => {
    if (registry.checks.get(name) === check) registry.checks.delete(name);
  };
}

/** Marks the process as starting: readiness fails until `markStarted` (its dependencies may not all be registered yet). */
export function markStarting(): void {
  registry.starting = true;
}

/** Marks the start-up as finished: readiness is the registered checks' from now on. */
export function markStarted(): void {
  registry.starting = false;
}

/** Marks the process as shutting down: readiness fails from now on (load balancers stop sending work). */
export function markDraining(): void {
  registry.draining = true;
}

/** Whether `markDraining` was called. */
export const isDraining = (): boolean => registry.draining;

/** The names of the registered dependencies (tests, logs). */
export const readinessCheckNames = (): string[] => [...registry.checks.keys()].sort();

/** Runs every check (each within `timeoutMs`) and reports them; `failing` when one fails or the process starts or drains. */
export async function checkReadiness(timeoutMs = 2_000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    [...registry.checks.entries()].map(async ([name, check]): Promise<ReadinessEntry> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(check),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { name, status: 'ok' };
      } catch (e) {
        return { name, status: 'failing', error: e instanceof Error ? e.message : String(e) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  entries.sort((a, b) => a.name.localeCompare(b.name));
  if (registry.draining) entries.push({ name: 'process', status: 'failing', error: 'shutting down' });
  else if (registry.starting) entries.push({ name: 'process', status: 'failing', error: 'starting' });
  return { status: entries.every((e) => e.status === 'ok') ? 'ok' : 'failing', checks: entries };
}
