import type { ExpectedPosition } from './event.types';

/**
 * Another writer moved the stream since the caller read it (or the caller's expected position was
 * otherwise wrong): nothing was appended.
 *
 * Retry semantics: the caller must reload the stream, fold it, decide again from the fresh state
 * and append with the new position. Re-sending the same events blindly would defeat the check.
 * When the append ran inside the caller's transaction, that transaction is aborted and must be
 * rolled back and redone as a whole.
 */
export class StreamVersionConflict extends Error {
  readonly code = 'stream_version_conflict' as const;
  /** Always true: a fresh read-decide-append may succeed. */
  readonly retryable = true;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedPosition,
    /** The stream's last position when the append was refused, when the statement saw it. */
    readonly actual?: number,
  ) {
    super(
      `stream ${streamId} is not at the expected position ${String(expected)}` +
        (actual === undefined ? ' (a concurrent append won)' : ` (it is at ${actual})`),
    );
    this.name = 'StreamVersionConflict';
  }
}
