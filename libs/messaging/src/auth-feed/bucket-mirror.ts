import type { KV, KvEntry } from '@nats-io/kv';

/** What a mirror does with each change of its bucket. */
export interface MirrorHandlers {
  /** A key was written (at start-up: its current value). */
  put(key: string, entry: KvEntry): void;
  /** A key was deleted or purged. */
  delete(key: string): void;
  /** Forget everything: the watch is being reopened and will deliver every current value again. */
  reset(): void;
}

export interface MirrorLogger {
  warn(message: string): void;
}

/** How often a loading mirror re-reads the bucket's state (for a bucket whose entries all expired meanwhile). */
const LOAD_RECHECK_MS = 500;
/** Pause before a watch that ended is reopened. */
const REOPEN_DELAY_MS = 1000;

/**
 * Keeps a JetStream KV bucket mirrored in memory through a watch (an ordered push consumer: it
 * delivers the current value of every key, then every change, and resets itself on a gap).
 *
 * `start()` resolves once every value that existed when it was called has been handed to
 * `handlers` (`loaded`); changes follow as they are written, typically within milliseconds.
 * If the watch ends (the server lost the consumer), `loaded` turns false, `reset()` is called and
 * a new watch loads the bucket again: readers must fail closed while `loaded` is false.
 *
 * `caughtUp()` is the read-your-writes barrier: it waits until the mirror has applied everything
 * the bucket held when it was called (one JetStream API request).
 */
export class BucketMirror {
  private revision = 0;
  private isLoaded = false;
  private stopped = false;
  private iterator?: { stop(): void };
  private waiters: Array<{ target: number; resolve: () => void }> = [];
  private onLoaded: Array<() => void> = [];

  constructor(
    private readonly kv: KV,
    private readonly name: string,
    private readonly handlers: MirrorHandlers,
    private readonly logger: MirrorLogger = console,
  ) {}

  get loaded(): boolean {
    return this.isLoaded;
  }

  /** Opens the watch; resolves when the bucket's current values are loaded (rejects on a NATS error opening it). */
  async start(): Promise<void> {
    const loaded = this.whenLoaded();
    await this.open();
    await loaded;
  }

  /** Resolves when the mirror is (again) loaded. */
  whenLoaded(): Promise<void> {
    return this.isLoaded ? Promise.resolve() : new Promise((resolve) => this.onLoaded.push(resolve));
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.iterator?.stop();
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    for (const resolve of this.onLoaded) resolve();
    this.onLoaded = [];
    return Promise.resolve();
  }

  /**
   * Resolves true once the mirror has applied every write the bucket had when this was called;
   * false after `timeoutMs` or when the mirror is not loaded.
   */
  async caughtUp(timeoutMs: number): Promise<boolean> {
    if (!this.isLoaded) return false;
    const { state } = (await this.kv.status()).streamInfo;
    if (state.messages === 0 || this.revision >= state.last_seq) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        target: state.last_seq,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.revision >= state.last_seq);
        },
      };
      this.waiters.push(waiter);
    });
  }

  private async open(): Promise<void> {
    const { state } = (await this.kv.status()).streamInfo;
    const loadTarget = state.last_seq;
    const iterator = await this.kv.watch();
    this.iterator = iterator;
    const setLoaded = (): void => {
      if (this.isLoaded || this.stopped) return;
      this.isLoaded = true;
      const waiting = this.onLoaded;
      this.onLoaded = [];
      for (const resolve of waiting) resolve();
    };
    if (state.messages === 0) setLoaded();
    const recheck = setInterval(() => {
      if (this.isLoaded) return void clearInterval(recheck);
      this.kv.status().then(
        (s) => (s.streamInfo.state.messages === 0 ? setLoaded() : undefined),
        () => undefined,
      );
    }, LOAD_RECHECK_MS);
    recheck.unref();

    void (async () => {
      try {
        for await (const entry of iterator) {
          this.apply(entry);
          if (entry.isUpdate || entry.revision >= loadTarget) setLoaded();
        }
      } catch (e) {
        this.logger.warn(`watch of ${this.name} failed: ${(e as Error).message}`);
      } finally {
        clearInterval(recheck);
        if (!this.stopped) this.reopen();
      }
    })();
  }

  private apply(entry: KvEntry & { isUpdate?: boolean }): void {
    this.revision = Math.max(this.revision, entry.revision);
    try {
      if (entry.operation === 'PUT') this.handlers.put(entry.key, entry);
      else this.handlers.delete(entry.key);
    } catch (e) {
      this.logger.warn(`skipped entry ${entry.key} of ${this.name}: ${(e as Error).message}`);
    }
    if (this.waiters.length) {
      const [done, waiting] = partition(this.waiters, (w) => w.target <= this.revision);
      this.waiters = waiting;
      for (const w of done) w.resolve();
    }
  }

  /** The watch ended while we still need it: fail closed, forget, and load the bucket again. */
  private reopen(): void {
    this.isLoaded = false;
    this.revision = 0;
    this.handlers.reset();
    this.logger.warn(`watch of ${this.name} ended; reloading the bucket (callers are refused until it is loaded)`);
    const retry = (): void => {
      if (this.stopped) return;
      this.open().catch((e: unknown) => {
        this.logger.warn(`reopening the watch of ${this.name} failed: ${(e as Error).message}`);
        setTimeout(retry, REOPEN_DELAY_MS).unref();
      });
    };
    setTimeout(retry, REOPEN_DELAY_MS).unref();
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
