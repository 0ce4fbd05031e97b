import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repo root, seen from deploy/test. */
export const ROOT = join(__dirname, '..', '..');

/** Apps that can run: those with `src/main.ts`. */
export function runnableApps(root = ROOT): string[] {
  return readdirSync(join(root, 'apps'))
    .filter((name) => existsSync(join(root, 'apps', name, 'src', 'main.ts')))
    .sort();
}

const isTestFile = (file: string): boolean =>
  /\.(spec|int-spec|e2e-spec|bench)\.ts$/.test(file) || /[/\\](testing|test)[/\\]/.test(file);

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|cjs)$/.test(entry.name) && !isTestFile(full) ? [full] : [];
  });
}

// `env.NAME`, `env['NAME']`, and a literal NAME handed to a reader (`intFromEnv('NAME', ...)`,
// `positive('NAME', ...)`, `set('NAME')`): the ways the services read their environment today.
const PROPERTY = /\benv(?:\.|\[\s*['"])([A-Z][A-Z0-9_]*)/g;
const READER_ARGUMENT = /\b([A-Za-z_$][\w$]*)\(\s*['"]([A-Z][A-Z0-9]*_[A-Z0-9_]+)['"]/g;
const NOT_READERS = new Set(['Symbol']);

/** Every environment variable read by the given source files, with one file that reads it. */
export function variablesReadIn(files: string[], root = ROOT): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const where = relative(root, file);
    for (const [, name] of text.matchAll(PROPERTY)) if (!found.has(name)) found.set(name, where);
    for (const [, callee, name] of text.matchAll(READER_ARGUMENT)) {
      if (!NOT_READERS.has(callee) && !found.has(name)) found.set(name, where);
    }
  }
  return found;
}

/**
 * The variables one app reads: its own sources and the libs it loads (`@flowstack/<lib>` imports,
 * followed through the libs themselves; never libs/testing).
 */
export function variablesOfApp(app: string, root = ROOT): Map<string, string> {
  const files = sourceFiles(join(root, 'apps', app, 'src'));
  const seen = new Set<string>();
  for (let i = 0; i < files.length; i++) {
    for (const [, lib] of readFileSync(files[i], 'utf8').matchAll(/from '@flowstack\/([a-z-]+)'/g)) {
      if (lib === 'testing' || seen.has(lib)) continue;
      seen.add(lib);
      files.push(...sourceFiles(join(root, 'libs', lib, 'src')));
    }
  }
  return variablesReadIn(files, root);
}

/** The variables `npm start` and its helpers read (tools/*.cjs). */
export function variablesOfTools(root = ROOT): Map<string, string> {
  const files = ['start.cjs', 'preflight.cjs', 'services.cjs', 'supervisor.cjs']
    .map((f) => join(root, 'tools', f))
    .filter(existsSync);
  return variablesReadIn(files, root);
}

/** Variable names of a dotenv file, set (`NAME=`) or documented as a commented-out line (`# NAME=`). */
export function dotenvNames(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
}
