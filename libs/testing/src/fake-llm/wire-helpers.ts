import type { FakeErrorReply, FakeMessageReply } from './fake-llm.script';

/** The parts of a request body the fakes read (both vendors' shapes). */
export interface FakeRequestBody {
  model?: string;
  stream?: boolean;
  system?: unknown;
  messages?: unknown;
  stream_options?: { include_usage?: boolean };
}

/** How a vendor's wire protocol renders the script. */
export interface VendorWire {
  path: string;
  errorBody(reply: FakeErrorReply): unknown;
  json(reply: FakeMessageReply, request: FakeRequestBody | null, ids: () => string): unknown;
  /** The SSE frames of a streamed reply: `content` frames count towards `cutAfterChunks`. */
  frames(reply: FakeMessageReply, request: FakeRequestBody | null, ids: () => string): { frame: string; content: boolean }[];
}

/** Splits text into chunks of about one token each (a word with its trailing space). */
export const tokenChunks = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);

/** Splits a JSON text into three pieces, as vendors stream tool arguments. */
export function jsonPieces(json: string): string[] {
  if (json.length < 3) return [json];
  const a = Math.floor(json.length / 3);
  const b = Math.floor((2 * json.length) / 3);
  return [json.slice(0, a), json.slice(a, b), json.slice(b)];
}

/** A rough token count of a request's text, for default usage figures. */
export const roughTokens = (value: unknown): number => Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
