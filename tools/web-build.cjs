// Builds the web app (apps/web -> apps/web/dist, served by the gateway at `/`) when its build is
// missing or older than any of its sources. Used by `npm start`, `npm run build:web` (always
// builds) and the web e2e, so a fresh clone serves and tests the current app without a separate step.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WEB = path.resolve(__dirname, '..', 'apps', 'web');
const DIST = path.join(WEB, 'dist');
const INDEX = path.join(DIST, 'index.html');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts'].map((p) => path.join(WEB, p));

function newestMtime(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((e) => newestMtime(path.join(p, e))));
}

function isStale() {
  const built = fs.statSync(INDEX, { throwIfNoEntry: false });
  return !built || Math.max(...SOURCES.map(newestMtime)) > built.mtimeMs;
}

/**
 * Runs `vite build` for apps/web into a directory of its own, then swaps it in for dist/, so a
 * gateway serving the old build never sees a half-written one. Throws with vite's output on failure.
 */
function buildWeb() {
  const vite = path.resolve(__dirname, '..', 'node_modules', 'vite', 'bin', 'vite.js');
  const out = path.join(WEB, `.dist-${process.pid}`);
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', out, '--emptyOutDir'], {
    cwd: WEB,
    encoding: 'utf8',
    // Always the production build: under Jest NODE_ENV is `test`, which would bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (run.status !== 0) {
    fs.rmSync(out, { recursive: true, force: true });
    throw new Error(`web build failed:\n${run.stdout}\n${run.stderr}`);
  }
  fs.rmSync(DIST, { recursive: true, force: true });
  fs.renameSync(out, DIST);
}

const LOCK = path.join(WEB, '.dist-lock');
const LOCK_STALE_MS = 5 * 60_000;
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Builds only when stale; returns whether it built. Parallel callers (two browser e2e files in Jest
 * workers on a fresh clone) take turns through a lock directory, and whoever comes second finds the
 * build current instead of swapping dist/ under the first one's gateway. A lock older than five
 * minutes is a crashed build's, and is broken.
 */
function ensureWebBuild() {
  if (!isStale()) return false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const held = fs.statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else sleepSync(200);
    }
  }
  try {
    if (!isStale()) return false;
    buildWeb();
    return true;
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

module.exports = { WEB, ensureWebBuild, buildWeb };

// `node tools/web-build.cjs` always builds; `--if-stale` only when the build is missing or old.
if (require.main === module) {
  const built = process.argv.includes('--if-stale') ? ensureWebBuild() : (buildWeb(), true);
  console.log(built ? `built ${path.relative(process.cwd(), path.join(WEB, 'dist'))}` : 'web build is current');
}
