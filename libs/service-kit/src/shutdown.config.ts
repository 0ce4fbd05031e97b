import { FlowstackError } from '@flowstack/contracts';

/** How long a service may take to stop after SIGTERM. */
export interface ShutdownConfig {
  /**
   * `SHUTDOWN_TIMEOUT_MS`, default 25 000: below the 30 s that Kubernetes (`terminationGracePeriodSeconds`)
   * and docker-compose (`stop_grace_period`) wait before SIGKILL, so the service exits on its own.
   */
  timeoutMs: number;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** Reads `SHUTDOWN_TIMEOUT_MS`; throws a one-line `FlowstackError` naming it when malformed. */
export function loadShutdownConfig(env: NodeJS.ProcessEnv = process.env): ShutdownConfig {
  const raw = env.SHUTDOWN_TIMEOUT_MS?.trim() ?? '';
  if (raw === '') return { timeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS };
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new FlowstackError('validation_failed', `SHUTDOWN_TIMEOUT_MS must be a positive number of milliseconds, got "${raw}"`);
  }
  return { timeoutMs: Number(raw) };
}
