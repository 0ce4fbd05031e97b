import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { FlowstackError, executionStreamId, type RequestContext } from '@flowstack/contracts';
import { ExecutionRuleViolation, isActive, type StartExecution } from '../domain';
import { ExecutionHandler, type HandleOutcome } from '../executions/execution.handler';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import { AdmissionStore, type QueuedStart } from './admission.store';
import { TaskGateStore } from './task-gate.store';

/** What a start came to: running (its ExecutionStarted recorded) or queued at a place. */
export type StartAdmission = { queued: false; outcome: HandleOutcome } | { queued: true; position: number; queuedAt: string };

/** A slot older than this is checked against its execution by the sweeper (a release a crash lost). */
const STALE_SLOT_MS = 10_000;

/**
 * Per-workspace limit on running executions (`ORCHESTRATOR_WORKSPACE_MAX_RUNNING`): a start over
 * the limit is queued in Postgres and started, oldest first, when one of its workspace's runs
 * ends. The replica that records an execution's end promotes the next at once; a sweeper on every
 * replica promotes what a crash left waiting and frees slots whose execution ended unseen.
 */
@Injectable()
export class AdmissionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('admission');
  private readonly chains = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private sweeps = 0;
  private stopped = false;

  constructor(
    private readonly store: AdmissionStore,
    private readonly tasks: TaskGateStore,
    private readonly executions: ExecutionHandler,
    @Inject(ORCHESTRATOR_CONFIG) private readonly config: OrchestratorConfig,
  ) {}

  get maxRunning(): number {
    return this.config.workspaceMaxRunning;
  }

  onModuleInit(): void {
    this.store.onReleased((workspaceId) => this.promoteSoon(workspaceId));
    this.timer = setInterval(() => void this.sweep(), this.config.admissionSweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Starts the execution if its workspace has a free slot, else queues it (FIFO per workspace). */
  async start(command: Omit<StartExecution['data'], 'now'>, ctx: RequestContext, fresh = false): Promise<StartAdmission> {
    const limit = this.maxRunning;
    if (limit <= 0) return { queued: false, outcome: await this.run(command, ctx) };
    const admission = await this.store.admit(command.executionId, command.workspaceId, limit, { command, ctx }, fresh);
    if (!admission.admitted) return { queued: true, position: admission.position, queuedAt: admission.queuedAt };
    return this.runAdmitted(command, ctx);
  }

  /**
   * Many starts (a batch of fires) whose streams the caller just found absent, each admitted as
   * `start` admits one and each with its own outcome: a refused start frees its slot and leaves
   * the others started. Admitted one after another in the batch's order (the queue is FIFO), then
   * the admitted ones start together (`ExecutionHandler.startMany`: one append for all).
   */
  async startMany(
    commands: ReadonlyArray<Omit<StartExecution['data'], 'now'>>,
    ctx: RequestContext,
  ): Promise<Array<PromiseSettledResult<StartAdmission>>> {
    const limit = this.maxRunning;
    const results: Array<PromiseSettledResult<StartAdmission> | undefined> = [];
    const admitted: number[] = [];
    for (const [i, command] of commands.entries()) {
      if (limit <= 0) {
        admitted.push(i);
        continue;
      }
      const admission = await settled(this.store.admit(command.executionId, command.workspaceId, limit, { command, ctx }));
      if (admission.status === 'rejected') results[i] = admission;
      else if (admission.value.admitted) admitted.push(i);
      else {
        const { position, queuedAt } = admission.value;
        results[i] = { status: 'fulfilled', value: { queued: true, position, queuedAt } };
      }
    }
    const outcomes = await this.executions.startMany(
      admitted.map((i) => ({
        executionId: commands[i].executionId,
        workspaceId: commands[i].workspaceId,
        command: () => ({ type: 'StartExecution', data: { ...commands[i], now: new Date().toISOString() } }),
      })),
      ctx,
    );
    await Promise.all(
      admitted.map(async (i, k) => {
        const outcome = outcomes[k];
        if (outcome.status === 'fulfilled') {
          results[i] = { status: 'fulfilled', value: { queued: false, outcome: outcome.value } };
          return;
        }
        // A refused start (a graph that cannot run) gives its slot to the next run.
        const e: unknown = outcome.reason;
        if (limit > 0 && (e instanceof ExecutionRuleViolation || e instanceof FlowstackError))
          await this.store.release(commands[i].executionId).catch(() => undefined);
        results[i] = outcome;
      }),
    );
    return results as Array<PromiseSettledResult<StartAdmission>>;
  }

  /** Runs an admitted start; a refused one (a graph that cannot run) gives its slot to the next run. */
  private async runAdmitted(command: Omit<StartExecution['data'], 'now'>, ctx: RequestContext): Promise<StartAdmission> {
    try {
      return { queued: false, outcome: await this.run(command, ctx) };
    } catch (e) {
      if (e instanceof ExecutionRuleViolation || e instanceof FlowstackError) await this.store.release(command.executionId);
      throw e;
    }
  }

  private run(command: Omit<StartExecution['data'], 'now'>, ctx: RequestContext): Promise<HandleOutcome> {
    return this.executions.handle(
      command.executionId,
      command.workspaceId,
      () => ({ type: 'StartExecution', data: { ...command, now: new Date().toISOString() } }),
      ctx,
    );
  }

  /** Promotes the workspace's next runs after anything queued before (one chain per workspace). */
  promoteSoon(workspaceId: string): Promise<void> {
    const next = (this.chains.get(workspaceId) ?? Promise.resolve())
      .then(() => this.promote(workspaceId))
      .catch((e: unknown) => this.logger.warn(`promoting the queue of workspace ${workspaceId} failed: ${String(e)}`));
    this.chains.set(workspaceId, next);
    void next.finally(() => {
      if (this.chains.get(workspaceId) === next) this.chains.delete(workspaceId);
    });
    return next;
  }

  private async promote(workspaceId: string): Promise<void> {
    if (this.stopped) return;
    const promoted = await this.store.promote(workspaceId, this.maxRunning);
    // Started in queue order; each start's end frees its slot and promotes again.
    for (const { executionId, start } of promoted) await this.startQueued(executionId, start);
  }

  private async startQueued(executionId: string, start: QueuedStart): Promise<void> {
    try {
      await this.run(start.command, start.ctx);
    } catch (e) {
      if (e instanceof ExecutionRuleViolation || e instanceof FlowstackError) {
        this.logger.warn(`queued execution ${executionId} could not start (${e.message}); its slot is freed`);
        await this.store.release(executionId);
        return;
      }
      // Anything else (the database, the bus): the sweeper starts it again from its stored start.
      this.logger.warn(`starting queued execution ${executionId} failed: ${String(e)}`);
    }
  }

  /** What a crash may leave behind: queues nobody promoted, slots of runs that ended or never started. */
  async sweep(): Promise<void> {
    if (this.stopped) return;
    // Slots and tasks in flight are checked every tenth sweep: a lost release is rare, and this reads streams.
    const deep = this.sweeps++ % 10 === 0;
    try {
      // Runs queued under a limit since lifted start too (promoting without a limit starts them all).
      for (const workspaceId of await this.store.queuedWorkspaces()) await this.promoteSoon(workspaceId);
      if (this.maxRunning > 0) {
        if (deep) {
          for (const slot of await this.store.heldSince(STALE_SLOT_MS, 500))
            await this.checkSlot(slot.executionId, slot.workspaceId);
        }
      }
      if (this.tasks.limit > 0) {
        if (deep) for (const task of await this.tasks.inFlightSince(STALE_SLOT_MS, 500)) await this.checkTask(task);
        for (const workspaceId of await this.tasks.waitingWorkspaces()) await this.executions.sendWaitingTasks(workspaceId);
      }
    } catch (e) {
      this.logger.warn(`admission sweep failed: ${String(e)}`);
    }
  }

  /** A task in flight whose node no longer waits on it (its result recorded unseen) leaves the count. */
  private async checkTask(task: { taskId: string; executionId: string; workspaceId: string }): Promise<void> {
    const { state } = await this.executions.load(executionStreamId(task.executionId), task.workspaceId);
    const waitedOn =
      isActive(state) &&
      Object.values(state.nodes).some((n) => n.taskId === task.taskId && (n.status === 'scheduled' || n.status === 'running'));
    if (!waitedOn) await this.tasks.release(task.workspaceId, [task.taskId], []);
  }

  private async checkSlot(executionId: string, workspaceId: string): Promise<void> {
    const { state } = await this.executions.load(executionStreamId(executionId), workspaceId);
    if (isActive(state)) return;
    if (state.status === 'pending') {
      // Admitted but never started: a promoted run starts now; a direct start's caller saw an error.
      const start = await this.store.startOf(executionId);
      if (start) return this.startQueued(executionId, start);
    }
    await this.store.release(executionId);
  }
}

/** The promise's outcome as a value: it never rejects, so it can wait in a list unhandled. */
function settled<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}
