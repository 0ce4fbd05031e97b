/** An execution event as the gateway relays it (the stored event's public fields). */
export interface LiveEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  recordedAt: string;
}

const TERMINAL = new Set(['ExecutionCompleted', 'ExecutionFailed', 'ExecutionCancelled']);
export const isTerminal = (event: LiveEvent): boolean => TERMINAL.has(event.type);
