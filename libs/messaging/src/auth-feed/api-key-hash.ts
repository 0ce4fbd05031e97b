import { createHmac } from 'node:crypto';

/**
 * API keys: `fsk_<8 hex: the visible prefix>_<43 base64url: 256 random bits>`. The prefix is shown
 * in lists; the whole key is shown once, at creation.
 */
export const API_KEY_PATTERN = /^fsk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
export const API_KEY_MARK = 'fsk_';

/**
 * The pepper both identity and the gateways key the hash with: `API_KEY_PEPPER` when set, else
 * derived from `JWT_SECRET` (which both already share), so no deployment needs a new secret.
 * Changing either invalidates every API key (their hashes no longer match).
 */
export function apiKeyPepper(env: { API_KEY_PEPPER?: string; jwtSecret: string }): Buffer {
  if (env.API_KEY_PEPPER) return Buffer.from(env.API_KEY_PEPPER);
  return createHmac('sha256', env.jwtSecret).update('flowstack api key pepper v1').digest();
}

/**
 * HMAC-SHA256 of the key under the pepper, hex. A fast keyed hash is right here (not bcrypt): a key
 * carries 256 random bits, so there is nothing to brute-force, and the gateway computes it on
 * every call. Without the pepper a stolen table of hashes cannot even be checked against a guess.
 */
export const apiKeyHash = (pepper: Buffer, key: string): string => createHmac('sha256', pepper).update(key).digest('hex');
