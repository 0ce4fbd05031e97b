import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runnableApps } from './service-env';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build, targets } = require('../../tools/build.cjs') as {
  build: (targets: string[], out: string) => number;
  targets: () => string[];
};

const dockerfile = readFileSync(join(ROOT, 'deploy', 'Dockerfile'), 'utf8');
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages[stages.length - 1];

describe('deploy/Dockerfile', () => {
  it('builds on ARG BASE_IMAGE (Node 24 slim by default) in every stage', () => {
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=node:24[\w.-]*slim$/m);
    expect(stages.map((s) => s.split(/\s/, 1)[0])).toEqual(['${BASE_IMAGE}', '${BASE_IMAGE}', '${BASE_IMAGE}']);
  });

  it('runs as a non-root user under tini, with production dependencies only', () => {
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "node", "--enable-source-maps", "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends tini/);
    const deps = stages.find((s) => s.startsWith('${BASE_IMAGE} AS deps')) ?? '';
    expect(deps).toMatch(/npm install --omit=dev/);
    expect(runtime).toMatch(/^COPY --from=deps \/app\/node_modules \.\/node_modules$/m);
    // No TypeScript compiler at run time: only the built JavaScript goes into the image.
    expect(runtime).toMatch(/^COPY --from=build \/src\/dist \.\/dist$/m);
    expect(runtime).not.toMatch(/swc|COPY (apps|libs)/);
  });

  it("builds the web app into the gateway's image, which serves it from GATEWAY_WEB_DIR", () => {
    const build = stages.find((s) => s.startsWith('${BASE_IMAGE} AS build')) ?? '';
    expect(build).toMatch(/^COPY [^\n]*tools\/web-build\.cjs[^\n]* tools\/$/m);
    expect(build).toMatch(
      /if \[ "\$\{SERVICE\}" = "gateway" \]; then node tools\/web-build\.cjs && cp -r apps\/web\/dist\/\. web-dist\/; fi/,
    );
    expect(runtime).toMatch(/^COPY --from=build \/src\/web-dist \.\/web$/m);
    expect(runtime).toMatch(/GATEWAY_WEB_DIR=\/app\/web/);
    // The gateway reads that variable for the directory it serves.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { webDistDir } = require('../../apps/gateway/src/web/web-static.middleware') as {
      webDistDir: (env: NodeJS.ProcessEnv) => string;
    };
    expect(webDistDir({ GATEWAY_WEB_DIR: '/app/web' })).toBe('/app/web');
  });

  it('knows every runnable app and the migrate job as a SERVICE', () => {
    expect(targets()).toEqual([...runnableApps(), 'migrate']);
  });
});

describe('tools/build.cjs (the image build step)', () => {
  const out = join(ROOT, 'tmp', `build-spec-${process.pid}`);
  beforeAll(() => mkdirSync(out, { recursive: true }));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('compiles a service to JavaScript that Node runs without swc (its config check answers)', () => {
    expect(build(['gateway'], out)).toBeGreaterThan(50);
    expect(existsSync(join(out, 'apps', 'gateway', 'src', 'main.js'))).toBe(true);
    expect(existsSync(join(out, 'apps', 'orchestrator'))).toBe(false);
    // The expression sandbox's worker is loaded by path: it must be next to its pool.
    expect(existsSync(join(out, 'libs', 'workflow', 'src', 'expression', 'expression.worker.cjs'))).toBe(true);
    const run = spawnSync(process.execPath, [join(out, 'main.js')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GATEWAY_BODY_LIMIT: 'lots' },
      timeout: 20_000,
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({
      status: 1,
      stderr: 'gateway failed to start: GATEWAY_BODY_LIMIT must be a non-negative integer, got "lots"',
    });
  });

  it('refuses a SERVICE that is not a runnable app', () => {
    expect(() => build(['billing-typo'], out)).toThrow(/nothing to build named billing-typo/);
  });
});
