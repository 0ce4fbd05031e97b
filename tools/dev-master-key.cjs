// The credential master key `npm start` hands to the services when the environment has none:
// random, made once per install, kept in `.flowstack/dev-master-key` (gitignored, mode 0600) so
// credentials sealed under it still open after a restart. Never a constant in the code: a known
// key would open every stored secret. Production must set FLOWSTACK_MASTER_KEY itself.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const KEY = /^v[1-9]\d{0,8}:[A-Za-z0-9+/]{43}=$/;

/** Reads the install's key (`v1:<base64 of 32 bytes>`), creating it (and its folder) on first use. */
function devMasterKey(root) {
  const dir = path.join(root, '.flowstack');
  const file = path.join(dir, 'dev-master-key');
  const existing = readKey(file);
  if (existing) return existing;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = `v1:${crypto.randomBytes(32).toString('base64')}`;
  try {
    // `wx`: two starts at once must not each write a different key.
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    return readKey(file) ?? key;
  }
  fs.chmodSync(file, 0o600);
  return key;
}

function readKey(file) {
  try {
    const key = fs.readFileSync(file, 'utf8').trim();
    return KEY.test(key) ? key : undefined;
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}

module.exports = { devMasterKey };
