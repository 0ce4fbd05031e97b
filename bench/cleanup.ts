/**
 * Everything the benchmark starts registers how to undo it here (platform processes, databases,
 * NATS streams, servers, the LangGraph child), and it is all undone in reverse order on success,
 * on failure and on SIGINT/SIGTERM, so a run never leaves anything behind.
 */
export class Cleanup {
  private readonly steps: Array<{ label: string; undo: () => Promise<unknown> }> = [];
  private running?: Promise<void>;

  /** Registers an undo step; the returned function runs it early (and only once). */
  add(label: string, undo: () => Promise<unknown>): () => Promise<void> {
    const step = { label, undo };
    this.steps.push(step);
    return async () => {
      const i = this.steps.indexOf(step);
      if (i < 0) return;
      this.steps.splice(i, 1);
      await undo();
    };
  }

  /** Runs every remaining step, newest first; a failing or hanging step never blocks the others. */
  run(timeoutMsPerStep = 20_000): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length) {
        const { label, undo } = this.steps.pop()!;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out')), timeoutMsPerStep);
        });
        try {
          await Promise.race([undo(), timeout]);
        } catch (e) {
          console.error(`cleanup: ${label} failed: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.running;
  }

  /**
   * On SIGINT/SIGTERM: undo everything, then exit 130/143 (a second signal exits at once). On an
   * uncaught error (a driver's 'error' event nobody handled): say it, undo everything, exit 1.
   */
  undoOnSignals(): void {
    process.once('uncaughtException', (e) => {
      console.error(`uncaught: ${e.stack ?? e.message}\nremoving what the benchmark created...`);
      void this.run().finally(() => process.exit(1));
    });
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping the platform and removing what the benchmark created...`);
        process.once(signal, () => process.exit(code));
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
