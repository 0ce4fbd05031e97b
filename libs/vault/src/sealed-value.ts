/**
 * Sealing and opening credential values: AES-256-GCM with a fresh nonce each time and the
 * credential's identity as associated data, so a sealed value only opens for the very row and
 * workspace it was written for.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

const FORMAT = 'fsv1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Whose value this is: bound into the ciphertext as associated data. */
export interface CredentialIdentity {
  workspaceId: string;
  credentialId: string;
}

/**
 * A sealed value that does not open: tampered with, copied from another credential or workspace,
 * sealed under a key this keyring no longer has, or not a sealed value at all. The message names
 * which, never the value.
 */
export class CredentialUnsealError extends Error {
  readonly code = 'credential_undecryptable';

  constructor(message: string) {
    super(message);
    this.name = 'CredentialUnsealError';
  }
}

const associatedData = ({ workspaceId, credentialId }: CredentialIdentity): Buffer =>
  Buffer.from(`flowstack-credential:v1:${workspaceId.length}:${workspaceId}:${credentialId}`, 'utf8');

export function seal(keyring: Keyring, who: CredentialIdentity, plaintext: string): string {
  const key = keyring.keys.get(keyring.currentVersion);
  if (!key) throw new Error('keyring without its current key');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(who));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}.${keyring.currentVersion}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

export function open(keyring: Keyring, who: CredentialIdentity, sealed: string): string {
  const { version, nonce, body } = parse(sealed);
  const key = keyring.keys.get(version);
  if (!key) throw new CredentialUnsealError(`sealed under key v${version}, which this deployment does not have`);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(who));
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new CredentialUnsealError('the sealed value does not open for this credential (altered, or copied from another)');
  }
}

/** The key version a sealed value was sealed under. */
export function sealedKeyVersion(sealed: string): number {
  return parse(sealed).version;
}

/** True when the value was sealed under an older key than the current one. */
export const needsReseal = (keyring: Keyring, sealed: string): boolean => sealedKeyVersion(sealed) !== keyring.currentVersion;

/** The same value sealed under the current key (a fresh nonce); what a rotation writes back. */
export const reseal = (keyring: Keyring, who: CredentialIdentity, sealed: string): string =>
  seal(keyring, who, open(keyring, who, sealed));

function parse(sealed: string): { version: number; nonce: Buffer; body: Buffer } {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== FORMAT || !/^[1-9]\d{0,8}$/.test(parts[1])) {
    throw new CredentialUnsealError(`not a sealed credential value (expected ${FORMAT}.<version>.<nonce>.<body>)`);
  }
  const nonce = Buffer.from(parts[2], 'base64url');
  const body = Buffer.from(parts[3], 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) {
    throw new CredentialUnsealError('not a sealed credential value (nonce or body has the wrong size)');
  }
  return { version: Number(parts[1]), nonce, body };
}
