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

/** Builds only when stale; returns whether it built. */
function ensureWebBuild() {
  if (!isStale()) return false;
  buildWeb();
  return true;
}

module.exports = { WEB, ensureWebBuild, buildWeb };

// `node tools/web-build.cjs` always builds; `--if-stale` only when the build is missing or old.
if (require.main === module) {
  const built = process.argv.includes('--if-stale') ? ensureWebBuild() : (buildWeb(), true);
  console.log(built ? `built ${path.relative(process.cwd(), path.join(WEB, 'dist'))}` : 'web build is current');
}
