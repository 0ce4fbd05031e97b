import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runnableApps } from './service-env';
import { renderTemplates, TemplateError, type RenderContext } from './helm-template';
import { mergeValues } from './render-chart';

const CHART = join(ROOT, 'helm', 'flowstack');
const read = (...parts: string[]): string => readFileSync(join(CHART, ...parts), 'utf8');
const chart = parse(read('Chart.yaml')) as Record<string, any>;
const defaults = parse(read('values.yaml')) as Record<string, any>;
const schema = JSON.parse(read('values.schema.json'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const exampleFiles = readdirSync(join(CHART, 'examples')).filter((f) => f.endsWith('.yaml'));
const templateFiles = Object.fromEntries(
  readdirSync(join(CHART, 'templates'))
    .filter((f) => /\.(yaml|tpl)$/.test(f))
    .map((f) => [f, read('templates', f)]),
);
const apps = runnableApps();

const merge = (base: any, over: any): any => mergeValues(base, over);

const SECRETS = {
  database: { url: 'postgres://flowstack:pw@db.internal:5432/flowstack' },
  secrets: {
    jwtSecret: 'x'.repeat(48),
    masterKey: `v1:${Buffer.alloc(32, 7).toString('base64')}`,
    natsPasswords: {
      identity: 'pi',
      registry: 'pr',
      orchestrator: 'po',
      'tool-runner': 'pt',
      gateway: 'pg',
      scheduler: 'ps',
      billing: 'pb',
    },
  },
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Renders the chart like `helm template flowstack helm/flowstack -f <values>` and parses the output. */
function render(values: Record<string, any>, release = 'flowstack'): K8sObject[] {
  const context: RenderContext = {
    Values: values,
    Release: { Name: release, Namespace: 'default', Service: 'Helm', IsInstall: true, IsUpgrade: false },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const out = renderTemplates(templateFiles, context);
  const objects: K8sObject[] = [];
  for (const [file, text] of Object.entries(out)) {
    if (file === 'NOTES.txt') continue;
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}\n${text}`);
      const object = doc.toJS() as K8sObject | null;
      if (object) objects.push(object);
    }
  }
  return objects;
}

const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
};

describe('helm/flowstack: files and values', () => {
  it('has a Chart.yaml (v2) whose optional dependencies are switched by values that exist', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'flowstack', type: 'application' });
    for (const dependency of chart.dependencies as { name: string; condition: string }[]) {
      const [key, flag] = dependency.condition.split('.');
      expect({ dependency: dependency.name, default: defaults[key]?.[flag] }).toEqual({
        dependency: dependency.name,
        default: false,
      });
    }
  });

  it('validates values.yaml and every example against values.schema.json', () => {
    expect(validate(defaults) ? [] : validate.errors).toEqual([]);
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of exampleFiles) {
      const merged = merge(defaults, parse(read('examples', file)));
      expect({ file, errors: validate(merged) ? [] : validate.errors }).toEqual({ file, errors: [] });
    }
  });

  it('refuses values a typo or a bad setting would break', () => {
    const bad = [
      merge(defaults, { servces: {} }),
      merge(defaults, { services: { gateway: { prot: 8080 } } }),
      merge(defaults, { services: { gateway: { port: 80 } } }),
      merge(defaults, { services: { orchestrator: { probes: { readiness: { path: 'metrics' } } } } }),
      merge(defaults, { secrets: { jwtSecret: 'too-short' } }),
      merge(defaults, { database: { url: 'mysql://x' } }),
      merge(defaults, { services: { registry: { env: { 'lower-case': '1' } } } }),
      merge(defaults, { image: { pullPolicy: 'Sometimes' } }),
    ];
    for (const values of bad) expect(validate(values)).toBe(false);
  });

  it('has an entry in values.yaml and the schema for every runnable app', () => {
    expect(Object.keys(defaults.services).sort()).toEqual(apps);
    expect(Object.keys(schema.properties.services.properties).sort()).toEqual(apps);
  });
});

describe('helm/flowstack: rendered manifests', () => {
  const values = merge(defaults, SECRETS);
  const objects = render(values);

  it('renders, per service, a Deployment, Service, HPA, PodDisruptionBudget, ServiceAccount and NetworkPolicy', () => {
    for (const app of apps) {
      const name = `flowstack-${app}`;
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']) {
        expect(find(objects, kind, name).metadata.labels).toMatchObject({
          'app.kubernetes.io/name': app,
          'app.kubernetes.io/instance': 'flowstack',
          'app.kubernetes.io/part-of': 'flowstack',
        });
      }
      find(objects, 'NetworkPolicy', `${name}-ingress`);
    }
  });

  it('gives each Deployment its image, probes on its health port, its own NATS user and only its secrets', () => {
    const secret = find(objects, 'Secret', 'flowstack-secrets');
    for (const app of apps) {
      const deployment = find(objects, 'Deployment', `flowstack-${app}`);
      const pod = deployment.spec.template;
      expect(deployment.spec.selector.matchLabels).toEqual({
        'app.kubernetes.io/part-of': 'flowstack',
        'app.kubernetes.io/instance': 'flowstack',
        'app.kubernetes.io/name': app,
      });
      expect(pod.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
      expect(pod.spec.serviceAccountName).toBe(`flowstack-${app}`);
      expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: true });
      const [container] = pod.spec.containers;
      const service = defaults.services[app];
      expect(container.image).toBe(`flowstack/${app}:${chart.appVersion}`);
      expect(container.ports[0].containerPort).toBe(service.port);
      expect(container.livenessProbe.httpGet).toEqual({ path: service.probes.liveness.path, port: service.port });
      expect(container.readinessProbe.httpGet).toEqual({ path: service.probes.readiness.path, port: service.port });
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef.key]));
      expect(env.NATS_USER).toBe(app);
      expect(secret.stringData).toHaveProperty(env.NATS_PASSWORD);
      expect(env.DATABASE_URL).toBe('DATABASE_URL');
      // Identity signs tokens and the gateway verifies them: both, and only they, get the key.
      expect('JWT_SECRET' in env).toBe(app === 'identity' || app === 'gateway');
      expect('API_KEY_PEPPER' in env).toBe(app === 'identity' || app === 'gateway');
      // Only the registry and the tool-runner seal and open credentials, the scheduler its webhook secrets and notification URLs.
      expect({ app, masterKey: 'FLOWSTACK_MASTER_KEY' in env }).toEqual({
        app,
        masterKey: app === 'registry' || app === 'tool-runner' || app === 'scheduler',
      });
      // The health port is where the process listens: the gateway's HTTP port, the others' metrics.
      expect(env[app === 'gateway' ? 'GATEWAY_PORT' : 'METRICS_PORT']).toBe(String(service.port));
      const svc = find(objects, 'Service', `flowstack-${app}`);
      expect(svc.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(svc.spec.ports[0].targetPort).toBe(service.port);
    }
    const config = find(objects, 'ConfigMap', 'flowstack-config');
    expect(config.data).toMatchObject({ MIGRATIONS: 'skip', NATS_URL: defaults.nats.url, LOG_FORMAT: 'json' });
  });

  it('scales on CPU, and the tool-runner on pending WORK tasks when asked', () => {
    for (const app of apps) {
      const hpa = find(objects, 'HorizontalPodAutoscaler', `flowstack-${app}`);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `flowstack-${app}` });
      expect(hpa.spec.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ]);
      // An HPA owns the replica count: the Deployment must not fight it.
      expect(find(objects, 'Deployment', `flowstack-${app}`).spec.replicas).toBeUndefined();
    }
    const withPending = render(merge(merge(defaults, SECRETS), parse(read('examples', 'existing-secret.yaml'))));
    const hpa = find(withPending, 'HorizontalPodAutoscaler', 'flowstack-tool-runner');
    expect(hpa.spec.metrics[1]).toEqual({
      type: 'External',
      external: {
        metric: {
          name: 'nats_consumer_num_pending',
          selector: { matchLabels: { consumer_name: 'tool-runner', stream_name: 'WORK' } },
        },
        target: { type: 'AverageValue', averageValue: '25' },
      },
    });
    expect(find(withPending, 'HorizontalPodAutoscaler', 'flowstack-orchestrator').spec.metrics).toHaveLength(1);
  });

  it('lets only the gateway be reached from outside, and the tool-runner reach public addresses only', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const base = find(objects, 'NetworkPolicy', 'flowstack-default');
    expect(base.spec.podSelector.matchLabels).toEqual({
      'app.kubernetes.io/part-of': 'flowstack',
      'app.kubernetes.io/instance': 'flowstack',
    });
    expect(base.spec.ingress).toEqual([]);
    expect(base.spec.egress[0].ports.map((p: any) => p.port).sort((a: number, b: number) => a - b)).toEqual(
      [53, 53, 5432, 4222].sort((a, b) => a - b),
    );
    for (const app of apps) {
      const policy = find(objects, 'NetworkPolicy', `flowstack-${app}-ingress`);
      if (app === 'gateway') expect(policy.spec.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
      else expect(policy.spec.ingress).toEqual([]);
    }
    const egress = find(objects, 'NetworkPolicy', 'flowstack-tool-runner-egress');
    expect(egress.spec.podSelector.matchLabels['app.kubernetes.io/name']).toBe('tool-runner');
    expect(egress.spec.egress[0].to[0].ipBlock.except).toEqual(expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']));
    expect(policies.filter((p) => JSON.stringify(p.spec.egress ?? []).includes('0.0.0.0/0'))).toEqual([egress]);
  });

  it('runs the migrations as a pre-install/pre-upgrade hook Job with a hook Secret of its own', () => {
    const job = find(objects, 'Job', 'flowstack-migrate');
    expect(job.metadata.annotations).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    const [container] = job.spec.template.spec.containers;
    expect(container.image).toBe(`flowstack/migrate:${chart.appVersion}`);
    expect(container.env.find((e: any) => e.name === 'DATABASE_URL').valueFrom.secretKeyRef.name).toBe('flowstack-migrations');
    const hookSecret = find(objects, 'Secret', 'flowstack-migrations');
    expect(Number(hookSecret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
      Number(job.metadata.annotations?.['helm.sh/hook-weight']),
    );
    expect(hookSecret.stringData?.DATABASE_URL).toBe(SECRETS.database.url);
    const without = render(merge(values, { migrations: { enabled: false } }));
    expect(without.some((o) => o.kind === 'Job')).toBe(false);
    expect(find(without, 'ConfigMap', 'flowstack-config').data?.MIGRATIONS).toBe('');
  });

  it('exposes the gateway through an Ingress with WebSocket timeouts when enabled', () => {
    expect(objects.some((o) => o.kind === 'Ingress')).toBe(false);
    const external = render(merge(defaults, parse(read('examples', 'external-services.yaml'))));
    const ingress = find(external, 'Ingress', 'flowstack-gateway');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'flowstack-gateway', port: { number: 8080 } });
    expect(Number(ingress.metadata.annotations?.['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(3600);
    expect(ingress.spec.tls[0].hosts).toEqual(['api.example.com']);
    const gatewayPolicy = find(external, 'NetworkPolicy', 'flowstack-gateway-ingress');
    expect(gatewayPolicy.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'ingress-nginx',
    });
    const gatewayEnv = find(external, 'Deployment', 'flowstack-gateway').spec.template.spec.containers[0].env;
    expect(gatewayEnv).toEqual(expect.arrayContaining([{ name: 'GATEWAY_TRUST_PROXY', value: '1' }]));
  });

  it('uses an existing Secret instead of creating one, and refuses to render without secrets', () => {
    const existing = render(merge(defaults, parse(read('examples', 'existing-secret.yaml'))));
    expect(existing.filter((o) => o.kind === 'Secret')).toEqual([]);
    const ref = find(existing, 'Deployment', 'flowstack-identity').spec.template.spec.containers[0].env.find(
      (e: any) => e.name === 'JWT_SECRET',
    );
    expect(ref.valueFrom.secretKeyRef).toEqual({ name: 'flowstack-credentials', key: 'JWT_SECRET' });
    expect(find(existing, 'Job', 'flowstack-migrate').spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name).toBe(
      'flowstack-credentials',
    );
    expect(() => render(defaults)).toThrow(/database\.url is required/);
    expect(() => render(merge(defaults, { database: SECRETS.database }))).toThrow(/secrets\.jwtSecret is required/);
    expect(() => render(merge(defaults, { ...SECRETS, secrets: { ...SECRETS.secrets, masterKey: '' } }))).toThrow(
      /secrets\.masterKey is required/,
    );
    expect(validate(merge(defaults, { secrets: { masterKey: 'not-a-key' } }))).toBe(false);
    const secret = find(render(merge(defaults, SECRETS)), 'Secret', 'flowstack-secrets');
    expect(secret.stringData?.FLOWSTACK_MASTER_KEY).toBe(SECRETS.secrets.masterKey);
    expect(secret.stringData).not.toHaveProperty('API_KEY_PEPPER');
    const peppered = render(merge(defaults, { ...SECRETS, secrets: { ...SECRETS.secrets, apiKeyPepper: 'p'.repeat(32) } }));
    expect(find(peppered, 'Secret', 'flowstack-secrets').stringData?.API_KEY_PEPPER).toBe('p'.repeat(32));
    const noRunnerPassword = merge(defaults, {
      ...SECRETS,
      secrets: { ...SECRETS.secrets, natsPasswords: { ...SECRETS.secrets.natsPasswords, 'tool-runner': '' } },
    });
    expect(() => render(noRunnerPassword)).toThrow(/secrets\.natsPasswords\.tool-runner is required/);
  });

  it('names everything after the release', () => {
    const other = render(merge(defaults, SECRETS), 'staging');
    expect(
      find(other, 'Deployment', 'staging-flowstack-orchestrator').spec.selector.matchLabels['app.kubernetes.io/instance'],
    ).toBe('staging');
  });

  it('keeps to the template subset the test renderer knows (anything else is an error, not a guess)', () => {
    expect(() =>
      renderTemplates({ 'x.yaml': '{{ lookup "v1" "Secret" "ns" "name" }}' }, { Values: {}, Release: {} as any, Chart: {} }),
    ).toThrow(TemplateError);
  });

  // A real Helm where one is installed (none can be on this machine: see /work/shared/STACK.md).
  const hasHelm = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' }).status === 0;
  (hasHelm ? it : it.skip)('passes helm lint and helm template (skipped: no helm binary on PATH)', () => {
    const args = ['--set', `database.url=${SECRETS.database.url}`, '--set', `secrets.jwtSecret=${SECRETS.secrets.jwtSecret}`];
    args.push('--set', `secrets.masterKey=${SECRETS.secrets.masterKey}`);
    for (const [name, pw] of Object.entries(SECRETS.secrets.natsPasswords))
      args.push('--set', `secrets.natsPasswords.${name}=${pw}`);
    // The optional dependencies must be in charts/ even when disabled.
    expect(spawnSync('helm', ['dependency', 'build', CHART], { encoding: 'utf8' }).status).toBe(0);
    const lint = spawnSync('helm', ['lint', CHART, ...args], { encoding: 'utf8' });
    expect({ status: lint.status, out: lint.stdout + lint.stderr }).toMatchObject({ status: 0 });
    const template = spawnSync('helm', ['template', 'flowstack', CHART, ...args], { encoding: 'utf8' });
    expect(template.status).toBe(0);
    const kinds = parseAllDocuments(template.stdout).map((d) => (d.toJS() as K8sObject | null)?.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Job']),
    );
  });
});
