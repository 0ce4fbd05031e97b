// Prints helm/flowstack rendered by the test renderer, like `helm template` would, for a machine
// without helm (values.yaml, then each `-f file` merged over it in order):
//   node -r @swc-node/register deploy/test/render-chart.ts [-f values-file]... [--release name]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderTemplates } from './helm-template';
import { ROOT } from './service-env';

const CHART = join(ROOT, 'helm', 'flowstack');

/** Helm's merge of a values file over another: maps deep, everything else replaced. */
export function mergeValues(base: unknown, over: unknown): unknown {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isMap(base) || !isMap(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValues(base[k], v);
  return out;
}

function main(argv: string[]): void {
  let values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as unknown;
  let release = 'flowstack';
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '-f') values = mergeValues(values, parse(readFileSync(argv[++i], 'utf8')));
    else if (argv[i] === '--release') release = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  const files = Object.fromEntries(
    readdirSync(join(CHART, 'templates')).map((f) => [f, readFileSync(join(CHART, 'templates', f), 'utf8')]),
  );
  const out = renderTemplates(files, {
    Values: values as Record<string, unknown>,
    Release: { Name: release, Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  });
  for (const [file, text] of Object.entries(out)) {
    if (file !== 'NOTES.txt' && text.trim())
      process.stdout.write(`---\n# Source: flowstack/templates/${file}\n${text.replace(/^\s*---\n/, '')}\n`);
  }
}

if (require.main === module) main(process.argv.slice(2));
