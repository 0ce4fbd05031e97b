/**
 * A node's retry policy (`node.config.retry`) and the workflow-wide defaults
 * (`graph.defaults.retry`, `graph.defaults.timeoutMs`). Every duration is in milliseconds. A field
 * absent from the node's policy comes from the workflow's defaults, then from `DEFAULT_RETRY_POLICY`.
 */
import { z } from 'zod';

/** Longest backoff interval and attempt timeout a workflow may set: one day. */
export const MAX_RETRY_INTERVAL_MS = 86_400_000;
/** Most attempts a node may make (the first one included). */
export const MAX_RETRY_ATTEMPTS = 100;

/** A retry policy with every field set: what the decider applies. */
export interface RetryPolicy {
  /** Attempts in all, the first one included; 1 means never retry. */
  maxAttempts: number;
  /** Wait before the second attempt, ms. */
  initialIntervalMs: number;
  /** Each further wait is the previous one times this (>= 1). */
  backoffCoefficient: number;
  /** No wait is longer than this, ms. */
  maxIntervalMs: number;
  /** Each wait is shortened by a random fraction of up to `jitter` of itself (0..1; 0: exact). */
  jitter: number;
  /** Error codes that fail the node at once, whatever `maxAttempts` says (in addition to errors marked `retryable: false`). */
  nonRetryableErrorCodes: string[];
}

/** 3 attempts, 1 s doubling to at most 60 s, no jitter. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maxIntervalMs: 60_000,
  jitter: 0,
  nonRetryableErrorCodes: [],
});

const intervalMs = z.number().int().min(0).max(MAX_RETRY_INTERVAL_MS);

/** `config.retry` and `defaults.retry`: every field optional, unknown fields refused (typos). */
export const retryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(MAX_RETRY_ATTEMPTS).optional(),
  initialIntervalMs: intervalMs.optional(),
  backoffCoefficient: z.number().min(1).max(100).optional(),
  maxIntervalMs: intervalMs.optional(),
  jitter: z.number().min(0).max(1).optional(),
  nonRetryableErrorCodes: z.array(z.string().min(1).max(100)).max(100).optional(),
});
export type RetryPolicyConfig = z.infer<typeof retryPolicySchema>;

/** A node attempt's start-to-close timeout (`config.timeoutMs`, `defaults.timeoutMs`), ms. */
export const attemptTimeoutSchema = z.number().int().min(1).max(MAX_RETRY_INTERVAL_MS);

/** `graph.defaults`: what every node of the workflow gets unless its config says otherwise. */
export const graphDefaultsSchema = z.strictObject({
  retry: retryPolicySchema.optional(),
  timeoutMs: attemptTimeoutSchema.optional(),
  /** Every node's schedule-to-close timeout (`config.scheduleToCloseTimeoutMs`), ms. */
  scheduleToCloseTimeoutMs: attemptTimeoutSchema.optional(),
});
export type GraphDefaults = z.infer<typeof graphDefaultsSchema>;

/** The policy a node runs with: its own fields over the workflow's defaults over `DEFAULT_RETRY_POLICY`. */
export function resolveRetryPolicy(node?: RetryPolicyConfig, workflow?: RetryPolicyConfig): RetryPolicy {
  const pick = <K extends keyof RetryPolicy>(key: K): RetryPolicy[K] =>
    (node?.[key] ?? workflow?.[key] ?? DEFAULT_RETRY_POLICY[key]) as RetryPolicy[K];
  return {
    maxAttempts: pick('maxAttempts'),
    initialIntervalMs: pick('initialIntervalMs'),
    backoffCoefficient: pick('backoffCoefficient'),
    maxIntervalMs: pick('maxIntervalMs'),
    jitter: pick('jitter'),
    nonRetryableErrorCodes: pick('nonRetryableErrorCodes'),
  };
}
