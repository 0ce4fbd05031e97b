/** Injection token of the orchestrator's `DeadLetterStore`. */
export const DEAD_LETTER_STORE = Symbol('DEAD_LETTER_STORE');
