import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { ServiceName } from '@flowstack/testing';
import { SERVICES } from './bench-platform';

const ROOT = path.resolve(__dirname, '../..');
export const PROFILE_DIR = path.join(ROOT, 'bench/results/profiles');

/** Per-service environment that preloads the profiler (see cpu-profile.cjs). */
export function profileEnv(): Partial<Record<ServiceName, Record<string, string>>> {
  rmSync(PROFILE_DIR, { recursive: true, force: true });
  return Object.fromEntries(
    SERVICES.map((name) => [
      name,
      {
        NODE_OPTIONS: `--require ${path.join(__dirname, 'cpu-profile.cjs')}`,
        FLOWSTACK_PROFILE_DIR: PROFILE_DIR,
        FLOWSTACK_PROFILE_NAME: name,
      },
    ]),
  );
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/**
 * The heaviest functions by self time in each profile written, with the file they live in:
 * enough to see where a service spends its CPU without opening a profiler. Open the
 * `.cpuprofile` files in Chrome DevTools for the full picture.
 */
export function summariseProfiles(top = 12): string {
  const lines: string[] = [`CPU profiles in ${path.relative(ROOT, PROFILE_DIR)} (open them in Chrome DevTools):`];
  let files: string[] = [];
  try {
    files = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return 'no CPU profiles were written';
  }
  for (const file of files.sort()) {
    const profile = JSON.parse(readFileSync(path.join(PROFILE_DIR, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
    const byFrame = new Map<string, number>();
    for (const node of profile.nodes) {
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url ? `${url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'} ${where}`.trim();
      byFrame.set(key, (byFrame.get(key) ?? 0) + (node.hitCount ?? 0));
    }
    const total = [...byFrame.values()].reduce((a, b) => a + b, 0) || 1;
    lines.push('', `${file}: ${total} samples`);
    for (const [key, hits] of [...byFrame.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      lines.push(`  ${((hits * 100) / total).toFixed(1).padStart(5)}%  ${key}`);
    }
  }
  return lines.join('\n');
}
