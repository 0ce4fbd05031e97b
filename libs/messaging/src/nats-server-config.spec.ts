import { readFileSync } from 'node:fs';
import path from 'node:path';
import { namespaceOf } from '@flowstack/contracts';
import { BUS_SERVICES, busPermissions } from './bus-permissions';
import { exampleNatsServerConfig, renderNatsServerConfig } from './nats-server-config';

const EXAMPLE = path.resolve(__dirname, '../../../deploy/nats/nats-server.conf');

describe('the NATS server configuration', () => {
  it('deploy/nats/nats-server.conf is what the permissions module renders (regenerate it when they change)', () => {
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(exampleNatsServerConfig());
  });

  it('prefixes every service subject and stream with the namespace', () => {
    const ns = namespaceOf('t_1234');
    for (const service of BUS_SERVICES) {
      const { publish, subscribe } = busPermissions(ns)[service];
      for (const s of [...publish, ...subscribe]) {
        if (s.startsWith('_INBOX') || s === '$JS.API.INFO') continue;
        if (s.startsWith('$O.')) expect(s).toBe('$O.t_1234_VALUES.>');
        else if (s.startsWith('$KV.')) expect(s).toMatch(/^\$KV\.t_1234_(REVOCATIONS|MEMBERSHIPS|API_KEYS|RATE_LIMITS)\.>$/);
        else {
          expect(s).toMatch(
            s.startsWith('$JS')
              ? /[._]t_1234_(EVENTS|WORK|RESULTS|VALUES|REVOCATIONS|MEMBERSHIPS|API_KEYS|RATE_LIMITS)(\.|$)/
              : /^t_1234\./,
          );
        }
      }
    }
  });

  it('lets only the RPC servers answer requests, and only the gateway call the public subjects', () => {
    const p = busPermissions(namespaceOf(''));
    expect(BUS_SERVICES.filter((s) => p[s].allowResponses)).toEqual([
      'identity',
      'registry',
      'orchestrator',
      // `/tools/{id}/test` and `/discover` are answered by a tool-runner.
      'tool-runner',
      'scheduler',
      'billing',
    ]);
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('registry.workflow.list'))).toEqual(['gateway']);
    // The orchestrator pins a version to run it; the scheduler checks a pinned one exists; the
    // gateway reads one for `GET /workflows/{id}/versions/{n}`.
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('registry.workflow.version.get'))).toEqual([
      'orchestrator',
      'scheduler',
      'gateway',
    ]);
    // Only the gateway and the scheduler (its fires) start executions; only the gateway manages schedules.
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('orchestrator.execution.start'))).toEqual(['scheduler', 'gateway']);
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('scheduler.schedule.create'))).toEqual(['gateway']);
    expect(BUS_SERVICES.filter((s) => p[s].subscribe.includes('scheduler.schedule.create'))).toEqual(['scheduler']);
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('registry.workflow.versions.list'))).toEqual(['gateway']);
    expect(BUS_SERVICES.filter((s) => p[s].subscribe.includes('registry.workflow.versions.list'))).toEqual(['registry']);
    // The tool-runner listens to cancel signals (core NATS) and the gateway's tool test/discover
    // requests besides its inbox; only the orchestrator sends cancels, only the gateway asks the rest.
    expect(p['tool-runner'].subscribe).toEqual([
      'control.cancel.*',
      'toolrunner.tool.test',
      'toolrunner.tool.discover',
      '_INBOX.>',
    ]);
    for (const name of ['toolrunner.tool.test', 'toolrunner.tool.discover', 'registry.tool.discovered']) {
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(name))).toEqual(['gateway']);
    }
    // Stdio MCP servers follow the workspace settings, which the tool-runner reads (the gateway too, for the REST route).
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('registry.workspace.settings.get'))).toEqual([
      'tool-runner',
      'gateway',
    ]);
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('control.cancel.*'))).toEqual(['orchestrator']);
    for (const name of ['orchestrator.execution.cancel', 'orchestrator.execution.approval.decide']) {
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(name))).toEqual(['gateway']);
      expect(BUS_SERVICES.filter((s) => p[s].subscribe.includes(name))).toEqual(['orchestrator']);
    }
    // Tokens are verified in the gateway: nobody calls identity's resolve any more.
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('identity.auth.resolve'))).toEqual([]);
  });

  it('lets only the orchestrator hold, charge and release credits, only the gateway grant them, and both read the balance', () => {
    const p = busPermissions(namespaceOf(''));
    for (const name of ['billing.credits.hold', 'billing.credits.charge', 'billing.credits.release']) {
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(name))).toEqual(['orchestrator']);
      expect(BUS_SERVICES.filter((s) => p[s].subscribe.includes(name))).toEqual(['billing']);
    }
    for (const name of ['billing.credits.grant', 'billing.credits.transactions']) {
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(name))).toEqual(['gateway']);
      expect(BUS_SERVICES.filter((s) => p[s].subscribe.includes(name))).toEqual(['billing']);
    }
    // The orchestrator checks the balance before it starts a run that can cost money (402).
    expect(BUS_SERVICES.filter((s) => p[s].publish.includes('billing.credits.balance')).sort()).toEqual([
      'gateway',
      'orchestrator',
    ]);
    expect(p.billing.publish).toContain('events.*.credits.>');
  });

  it('lets identity alone write the auth feed, and every gateway read it', () => {
    const p = busPermissions(namespaceOf(''));
    for (const bucket of ['REVOCATIONS', 'MEMBERSHIPS']) {
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(`$KV.${bucket}.>`))).toEqual(['identity']);
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(`$JS.API.STREAM.UPDATE.KV_${bucket}`))).toEqual(['identity']);
      expect(BUS_SERVICES.filter((s) => p[s].publish.includes(`$JS.API.CONSUMER.*.KV_${bucket}.>`))).toEqual([
        'identity',
        'gateway',
      ]);
    }
  });

  it('renders an empty allow list as a deny of everything (an empty allow list means no limit to nats-server)', () => {
    const config = renderNatsServerConfig({
      namespace: namespaceOf(''),
      credentials: Object.fromEntries(BUS_SERVICES.map((s) => [s, { user: s, password: 'p' }])) as never,
      extraUsers: [
        { credential: { user: 'nobody', password: 'x' }, permissions: { publish: [], subscribe: [], allowResponses: false } },
      ],
    });
    const nobody = config.slice(config.indexOf('user: "nobody"'));
    expect(nobody).toContain('publish: { deny: [">"] }');
    expect(nobody).toContain('subscribe: { deny: [">"] }');
    expect(config).not.toContain('allow: []');
  });

  it('writes a variable reference unquoted, and any other password quoted', () => {
    const example = exampleNatsServerConfig();
    expect(example).toContain('user: "registry", password: $FLOWSTACK_NATS_REGISTRY_PASSWORD');
    expect(example).toContain('user: "tool-runner", password: $FLOWSTACK_NATS_TOOL_RUNNER_PASSWORD');
  });
});
