// `npm run build [service...]`: compiles the services and the libs they use to plain CommonJS under
// dist/ (same tree as the sources: dist/apps/<service>/src/main.js), so an image runs `node` on
// JavaScript with production dependencies only, instead of compiling TypeScript at every start.
//
// It is the same compiler and the same settings as `npm start` (@swc-node/register) and the tests
// (@swc/jest): swc with legacy decorators and decorator metadata (Nest's constructor injection),
// class names kept (Nest names providers by class). `@flowstack/*` imports are rewritten to
// relative paths by swc itself from tsconfig.base.json's `paths`. No type-check here:
// `npm run typecheck` does that. Files that are loaded by path at run time (`*.cjs`, `*.json`
// next to the code, such as the expression sandbox's worker) are copied as they are.
const fs = require('node:fs');
const path = require('node:path');
const { transformFileSync } = require('@swc/core');
const { compilerOptions } = require('../tsconfig.base.json');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'dist');

/** Apps that have a `src/main.ts`: the runnable services. */
function runnableApps() {
  return fs
    .readdirSync(path.join(ROOT, 'apps'))
    .filter((name) => fs.existsSync(path.join(ROOT, 'apps', name, 'src', 'main.ts')))
    .sort();
}

const isTestFile = (file) =>
  /\.(spec|int-spec|e2e-spec)\.ts$/.test(file) ||
  file.includes(`${path.sep}testing${path.sep}`) ||
  file.includes(`${path.sep}test${path.sep}`);

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (!isTestFile(full) && /\.(ts|cjs|json)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) yield full;
  }
}

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
    baseUrl: ROOT,
    paths: compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
  swcrc: false,
  configFile: false,
};

/** What `build` can be asked for: every runnable app, and `migrate` (tools/migrate.ts and the apps it imports). */
const targets = () => [...runnableApps(), 'migrate'];

/** The file a target runs, relative to dist/. */
const entryOf = (target) => (target === 'migrate' ? 'tools/migrate.js' : `apps/${target}/src/main.js`);

/**
 * Compiles each target's sources (`apps/<name>/src`; for `migrate` tools/migrate.ts and every app)
 * and every lib's `src` except `libs/testing`. With exactly one target it also writes `dist/main.js`,
 * which loads that target's entry: the image runs `node dist/main.js` whatever its service.
 * Writes under `out` (default dist/); returns the number of files written.
 */
function build(wanted = runnableApps(), out = OUT) {
  const unknown = wanted.filter((name) => !targets().includes(name));
  if (unknown.length) throw new Error(`nothing to build named ${unknown.join(', ')} (known: ${targets().join(', ')})`);
  const apps = wanted.includes('migrate') ? runnableApps() : wanted;
  const roots = [
    ...apps.map((name) => path.join(ROOT, 'apps', name, 'src')),
    ...fs
      .readdirSync(path.join(ROOT, 'libs'))
      .filter((name) => name !== 'testing')
      .map((name) => path.join(ROOT, 'libs', name, 'src'))
      .filter((dir) => fs.existsSync(dir)),
  ];
  const files = roots.flatMap((root) => [...sourceFiles(root)]);
  if (wanted.includes('migrate')) files.push(path.join(ROOT, 'tools', 'migrate.ts'));
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    const target = path.join(out, rel.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (file.endsWith('.ts')) {
      const { code, map } = transformFileSync(file, {
        ...swcOptions,
        filename: file,
        sourceFileName: path.relative(path.dirname(target), file),
      });
      fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map\n`);
      if (map) fs.writeFileSync(`${target}.map`, map);
    } else {
      fs.copyFileSync(file, target);
    }
  }
  if (wanted.length === 1) {
    fs.writeFileSync(path.join(out, 'main.js'), `'use strict';\n// ${wanted[0]}\nrequire('./${entryOf(wanted[0])}');\n`);
  }
  return files.length;
}

module.exports = { build, runnableApps, targets, entryOf };

if (require.main === module) {
  const started = Date.now();
  const apps = process.argv.slice(2);
  fs.rmSync(OUT, { recursive: true, force: true });
  const count = build(apps.length ? apps : undefined);
  console.log(`built ${count} files into dist/ in ${Date.now() - started} ms`);
}
