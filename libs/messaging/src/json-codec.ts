const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON to bytes for NATS payloads. */
export const encodeJson = (v: unknown): Uint8Array => encoder.encode(JSON.stringify(v ?? null));
/** Bytes to JSON for NATS payloads. */
export const decodeJson = <T>(data: Uint8Array): T => JSON.parse(decoder.decode(data)) as T;
