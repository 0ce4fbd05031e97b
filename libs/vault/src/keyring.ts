/**
 * The master keys credentials are sealed with, read from the environment. One current key seals;
 * previous keys only open values sealed before a rotation.
 */

export const KEY_BYTES = 32;

export interface Keyring {
  readonly currentVersion: number;
  /** Every key that may open a value, current included, by version. */
  readonly keys: ReadonlyMap<number, Buffer>;
}

/** A master key configuration the service cannot start with; `message` is one line for the operator. */
export class KeyringConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringConfigError';
  }
}

const KEY_HINT = 'expected v<version>:<base64 of 32 random bytes>, e.g. v1:$(openssl rand -base64 32)';

/**
 * Parses `FLOWSTACK_MASTER_KEY` (required) and `FLOWSTACK_MASTER_KEYS_PREVIOUS` (optional, comma
 * separated). Never puts key material in an error message.
 */
export function keyringFromEnv(env: Readonly<Record<string, string | undefined>>): Keyring {
  const current = env.FLOWSTACK_MASTER_KEY?.trim();
  if (!current) throw new KeyringConfigError(`FLOWSTACK_MASTER_KEY is not set: ${KEY_HINT}`);
  const [currentVersion, currentKey] = parseKey('FLOWSTACK_MASTER_KEY', current);
  const keys = new Map<number, Buffer>([[currentVersion, currentKey]]);
  const previous = env.FLOWSTACK_MASTER_KEYS_PREVIOUS?.trim();
  for (const [i, entry] of (previous ? previous.split(',') : []).entries()) {
    const name = `FLOWSTACK_MASTER_KEYS_PREVIOUS[${i}]`;
    const [version, key] = parseKey(name, entry.trim());
    if (keys.has(version)) throw new KeyringConfigError(`${name}: key version v${version} is given twice`);
    keys.set(version, key);
  }
  return { currentVersion, keys };
}

function parseKey(name: string, value: string): [number, Buffer] {
  const match = /^v([1-9]\d{0,8}):([A-Za-z0-9+/_-]+={0,2})$/.exec(value);
  if (!match) throw new KeyringConfigError(`${name} is malformed: ${KEY_HINT}`);
  const key = Buffer.from(match[2], 'base64');
  if (key.length !== KEY_BYTES) {
    throw new KeyringConfigError(`${name} decodes to ${key.length} bytes, not ${KEY_BYTES}: ${KEY_HINT}`);
  }
  return [Number(match[1]), key];
}
