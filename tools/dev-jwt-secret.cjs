// The JWT secret `npm start` hands to identity when the environment has none: random, made once
// per install, kept in `.flowstack/dev-jwt-secret` (gitignored, mode 0600) so tokens survive a
// restart. Never a constant in the code: a known key would let anyone sign tokens.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MIN_LENGTH = 32;

/** Reads the install's secret, creating it (and its folder) on first use. */
function devJwtSecret(root) {
  const dir = path.join(root, '.flowstack');
  const file = path.join(dir, 'dev-jwt-secret');
  const existing = readSecret(file);
  if (existing) return existing;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(48).toString('base64url');
  try {
    // `wx`: two starts at once must not each write a different key.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    return readSecret(file) ?? secret;
  }
  fs.chmodSync(file, 0o600);
  return secret;
}

function readSecret(file) {
  try {
    const secret = fs.readFileSync(file, 'utf8').trim();
    return secret.length >= MIN_LENGTH ? secret : undefined;
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}

module.exports = { devJwtSecret };
