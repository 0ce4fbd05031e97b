import { connect, type NatsConnection } from '@nats-io/transport-node';
import { namespaceOf, type Namespace } from '@flowstack/contracts';
import { startPlatform, TEST_NATS_URL, type ServiceName, type ServiceProcess, type TestPlatform } from '@flowstack/testing';
import type { Cleanup } from '../cleanup';
import { ApiClient } from './api-client';
import { CompletionTap } from './completion-tap';

/** The processes whose CPU, RSS and profiles are recorded: every service the platform starts. */
export const SERVICES: readonly ServiceName[] = [
  'gateway',
  'identity',
  'registry',
  'orchestrator',
  'tool-runner',
  'billing',
  'scheduler',
];

export interface BenchPlatformOptions {
  /** Extra environment per service, e.g. NODE_OPTIONS=--cpu-prof for `--profile`. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

/**
 * The platform as `npm start` runs it (seven processes) on a database and NATS namespace of its
 * own, plus what every workload needs: a registered user, a NATS connection for taps and stream
 * stats, and the completion tap. Everything is registered with `cleanup`.
 */
export class BenchPlatform {
  readonly api: ApiClient;
  readonly tap: CompletionTap;
  /** Extra service processes (a second tool-runner): the platform's map keeps only the newest. */
  private readonly extra = new Set<ServiceProcess>();

  private constructor(
    readonly platform: TestPlatform,
    readonly nc: NatsConnection,
    readonly ns: Namespace,
    private readonly cleanup: Cleanup,
  ) {
    this.api = new ApiClient(platform.baseUrl);
    this.tap = new CompletionTap(nc, ns);
  }

  static async start(cleanup: Cleanup, options: BenchPlatformOptions = {}): Promise<BenchPlatform> {
    const platform = await startPlatform({
      label: 'bench',
      // The production default (tests use 500 ms); the relay's polling is part of what we measure.
      env: { RELAY_INTERVAL_MS: '1000' },
      serviceEnv: options.serviceEnv,
    });
    cleanup.add('platform (processes, database, NATS streams)', () => platform.stop());
    const nc = await connect({ servers: TEST_NATS_URL, name: 'flowstack-bench' });
    cleanup.add('bench NATS connection', () => nc.close());
    const bench = new BenchPlatform(platform, nc, namespaceOf(platform.env.FLOWSTACK_NS), cleanup);
    await bench.api.register();
    return bench;
  }

  get databaseUrl(): string {
    return this.platform.env.DATABASE_URL;
  }

  get databaseName(): string {
    return new URL(this.databaseUrl).pathname.slice(1);
  }

  /** The running process of each service (the first tool-runner when there are two). */
  service(name: ServiceName): ServiceProcess {
    const proc = this.platform.services.get(name);
    if (!proc) throw new Error(`${name} is not running`);
    return proc;
  }

  /** Every service process now running, extra tool-runners included, with a distinct label. */
  processes(): Array<{ label: string; pid: number }> {
    const list: Array<{ label: string; pid: number }> = SERVICES.map((name) => ({
      label: name,
      pid: this.service(name).child.pid!,
    }));
    let i = 2;
    for (const proc of this.extra) list.push({ label: `tool-runner#${i++}`, pid: proc.child.pid! });
    return list;
  }

  /** Stops the primary tool-runner and starts one with `env` in its place (the platform stops it). */
  async replaceToolRunner(env: Record<string, string>): Promise<ServiceProcess> {
    await this.service('tool-runner').stop();
    return this.platform.start('tool-runner', env);
  }

  /** Stops the orchestrator and starts one with `env` in its place (the platform stops it). */
  async replaceOrchestrator(env: Record<string, string>): Promise<ServiceProcess> {
    await this.service('orchestrator').stop();
    return this.platform.start('orchestrator', env);
  }

  /** Starts another tool-runner on the same namespace; it shares the durable WORK consumer. */
  async addToolRunner(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const first = this.service('tool-runner');
    const proc = await this.platform.start('tool-runner', env);
    // `start` made the new process the map's tool-runner: keep the first one there, track the new one.
    this.platform.services.set('tool-runner', first);
    this.extra.add(proc);
    const undo = this.cleanup.add('extra tool-runner', proc.stop.bind(proc));
    proc.stop = async () => {
      this.extra.delete(proc);
      await undo();
    };
    return proc;
  }
}
