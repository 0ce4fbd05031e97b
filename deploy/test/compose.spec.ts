import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT, dotenvNames, runnableApps, variablesOfApp, variablesOfTools } from './service-env';

interface ComposeService {
  build?: { args?: Record<string, string> };
  image?: string;
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  restart?: string;
}

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const envExample = dotenvNames(readFileSync(join(ROOT, '.env.example'), 'utf8'));
const apps = runnableApps();

/**
 * Variables an app reads that compose leaves unset on purpose: compose authenticates every service
 * to NATS with a user and password, so the other ways stay empty (setting one as well would stop
 * the service); FLOWSTACK_DEV is for development machines only; SCHEDULER_TEST_CLOCK compresses
 * the scheduler's clock for tests and must never reach a deployment.
 */
const NOT_WIRED_IN_COMPOSE = new Set(['NATS_TOKEN', 'NATS_NKEY_SEED', 'NATS_CREDS', 'FLOWSTACK_DEV', 'SCHEDULER_TEST_CLOCK']);

/**
 * Variables the scan finds in a lib every app loads but only some apps use: `apiKeyPepper()` of
 * libs/messaging takes API_KEY_PEPPER, and only identity and the gateway call it. Those apps must
 * get it; the others must not (a secret goes only where it is used).
 */
const USED_ONLY_BY: Record<string, string[]> = { API_KEY_PEPPER: ['identity', 'gateway'] };
const unused = (app: string, name: string): boolean => name in USED_ONLY_BY && !USED_ONLY_BY[name].includes(app);

describe('docker-compose.yml', () => {
  it('has Postgres 16, NATS, the one-shot migrations service and a service per runnable app', () => {
    expect(apps).toEqual(expect.arrayContaining(['gateway', 'identity', 'orchestrator', 'registry', 'tool-runner']));
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.nats.image).toMatch(/^nats:2\.(1\d|[2-9]\d)/);
    expect(services.migrations.build?.args?.SERVICE).toBe('migrate');
    expect(services.migrations.restart).toBe('no');
    for (const app of apps) {
      expect({ app, service: services[app]?.build?.args?.SERVICE }).toEqual({ app, service: app });
    }
  });

  it('runs NATS on the generated permissions with JetStream on file storage synced on every write', () => {
    const conf = readFileSync(join(ROOT, 'deploy', 'nats', 'compose.conf'), 'utf8');
    expect(conf).toMatch(/^include \.\/nats-server\.conf$/m);
    expect(conf).toMatch(/^\s*sync_interval: always$/m);
    expect(conf).toMatch(/^\s*store_dir: "\/data"$/m);
    expect(services.nats.environment).toBeDefined();
    // Every user of the generated file gets its password from the server's environment.
    const generated = readFileSync(join(ROOT, 'deploy', 'nats', 'nats-server.conf'), 'utf8');
    const passwordVariables = [...generated.matchAll(/password: \$([A-Z_]+)/g)].map((m) => m[1]);
    expect(passwordVariables.length).toBeGreaterThanOrEqual(5);
    for (const name of passwordVariables) {
      expect({ name, set: name in (services.nats.environment ?? {}) }).toEqual({ name, set: true });
      expect({ name, documented: envExample.has(name) }).toEqual({ name, documented: true });
    }
  });

  it('gives every app every variable it reads, and each its own NATS user', () => {
    for (const app of apps) {
      const environment = services[app].environment ?? {};
      const missing = [...variablesOfApp(app).entries()]
        .filter(([name]) => !(name in environment) && !NOT_WIRED_IN_COMPOSE.has(name) && !unused(app, name))
        .map(([name, file]) => `${name} (read in ${file})`);
      expect({ app, missing }).toEqual({ app, missing: [] });
      const extra = Object.keys(USED_ONLY_BY).filter((name) => unused(app, name) && name in environment);
      expect({ app, extra }).toEqual({ app, extra: [] });
      expect({ app, user: environment.NATS_USER, migrations: environment.MIGRATIONS }).toEqual({
        app,
        user: app,
        migrations: 'skip',
      });
    }
  });

  it('documents in .env.example every variable the apps and npm start read, and every one compose interpolates', () => {
    const read = new Map([...apps.flatMap((app) => [...variablesOfApp(app).entries()]), ...variablesOfTools().entries()]);
    const undocumented = [...read.entries()]
      .filter(([name]) => !envExample.has(name))
      .map(([name, file]) => `${name} (read in ${file})`);
    expect(undocumented).toEqual([]);
    const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...interpolated].filter((name) => !envExample.has(name))).toEqual([]);
  });

  it('has a health check on every long-running service and depends_on conditions on existing services', () => {
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'migrations') {
        const test = service.healthcheck?.test ?? [];
        expect({ name, check: test[0], hasCommand: test.length > 1 }).toEqual({ name, check: 'CMD', hasCommand: true });
      }
      for (const [dependency, { condition } = {}] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in services }).toEqual({ name, dependency, exists: true });
        const expected = dependency === 'migrations' ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected });
        // service_healthy on a service without a health check would wait forever.
        if (expected === 'service_healthy') expect(services[dependency].healthcheck?.test).toBeDefined();
      }
    }
    for (const app of apps) {
      expect({ app, after: Object.keys(services[app].depends_on ?? {}) }).toEqual({
        app,
        after: expect.arrayContaining(['nats']),
      });
    }
    expect(services.gateway.healthcheck?.test).toContain('http://127.0.0.1:8080/api/v1/health/readiness');
  });

  // docker-compose 1.29 (Debian's package) validates the file offline; skipped where it is absent.
  const hasComposeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
  (hasComposeCli ? it : it.skip)(
    'is valid for docker-compose with the required variables set (skipped without docker-compose)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'flowstack-compose-'));
      try {
        const envFile = join(dir, '.env');
        const filled = readFileSync(join(ROOT, '.env.example'), 'utf8').replace(
          /^([A-Z][A-Z0-9_]*)=$/gm,
          '$1=x0123456789abcdef0123456789abcdef',
        );
        writeFileSync(envFile, filled);
        const run = spawnSync('docker-compose', ['--env-file', envFile, '-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'], {
          encoding: 'utf8',
        });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        // Without them compose refuses to start, naming the variable.
        writeFileSync(join(dir, 'none'), '');
        const bare = spawnSync(
          'docker-compose',
          ['--env-file', join(dir, 'none'), '-f', join(ROOT, 'docker-compose.yml'), 'config', '-q'],
          {
            encoding: 'utf8',
            env: { PATH: process.env.PATH },
          },
        );
        expect(bare.status).not.toBe(0);
        expect(bare.stderr).toMatch(/POSTGRES_PASSWORD|FLOWSTACK_NATS_|JWT_SECRET/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
