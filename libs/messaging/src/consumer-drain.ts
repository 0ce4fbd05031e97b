import { setTimeout as sleep } from 'node:timers/promises';
import {
  JetStreamApiError,
  type ConsumerInfo,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';

export interface DrainOptions {
  /** Handles one message; acks or naks it itself and never throws. */
  handle(msg: JsMsg): Promise<void>;
  /** Messages handled at once. */
  concurrency: number;
  /** Ends the drain early (the service stops): the consumer is then left for the next start. */
  stopped(): boolean;
  /** How often the consumer is checked for anything left, ms. */
  checkMs?: number;
}

/**
 * Delivers what a durable consumer that is being replaced still holds (pending or unacked) to
 * `handle`, then deletes it. Resolves true once it is gone (deleted here, or by another replica
 * draining it at the same time: harmless, they share it), false if stopped first or it never
 * existed. Its successor must not start from this one's ack floor: a consumer skips the messages
 * its filter does not match, and its floor passes them with its next ack.
 */
export async function drainAndDelete(
  js: JetStreamClient,
  jsm: JetStreamManager,
  stream: string,
  name: string,
  opts: DrainOptions,
): Promise<boolean> {
  let info = await infoOrUndefined(jsm, stream, name);
  if (!info) return false;
  const feed = await (await js.consumers.get(stream, name)).consume({ max_messages: opts.concurrency * 2 });
  const inFlight = new Set<Promise<void>>();
  const pulling = (async () => {
    for await (const msg of feed) {
      while (inFlight.size >= opts.concurrency) await Promise.race(inFlight);
      const work = opts.handle(msg).finally(() => inFlight.delete(work));
      inFlight.add(work);
    }
  })().catch(() => undefined);
  try {
    for (;;) {
      if (opts.stopped()) return false;
      if (info.num_pending === 0 && info.num_ack_pending === 0) {
        await jsm.consumers.delete(stream, name).catch(ignoreMissing);
        return true;
      }
      await sleep(opts.checkMs ?? 1_000);
      const now = await infoOrUndefined(jsm, stream, name);
      if (!now) return true;
      info = now;
    }
  } finally {
    feed.stop();
    await pulling;
    await Promise.allSettled([...inFlight]);
  }
}

/** The ones of `names` that exist on `stream`. */
export async function existingConsumers(jsm: JetStreamManager, stream: string, names: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) if (await infoOrUndefined(jsm, stream, name)) found.push(name);
  return found;
}

async function infoOrUndefined(jsm: JetStreamManager, stream: string, name: string): Promise<ConsumerInfo | undefined> {
  try {
    return await jsm.consumers.info(stream, name);
  } catch (e) {
    if (e instanceof JetStreamApiError && (e.status === 404 || /not found/i.test(e.message))) return undefined;
    throw e;
  }
}

function ignoreMissing(e: unknown): void {
  if (!(e instanceof JetStreamApiError)) throw e;
}
