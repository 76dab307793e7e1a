// Embeds, in the background, the rows the controller recorded without a vector. It runs in the
// function server, which holds the embedding model for retrieval anyway. Ticks never overlap, each is
// bounded (a burst of records is spread over ticks, so renders sharing the event loop stay quick),
// and a failing tick is reported and retried on the next one.
import type { RagStore } from './store.js';

/** SCAI_RAG_EMBED_INTERVAL: seconds between embedding passes over rows recorded without a vector; 0 turns them off. */
export function embedIntervalMs(env: NodeJS.ProcessEnv): number {
  const raw = env.SCAI_RAG_EMBED_INTERVAL;
  if (raw === undefined || raw === '') return 30_000;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new Error(`SCAI_RAG_EMBED_INTERVAL must be a number of seconds ≥ 0, got ${JSON.stringify(raw)}`);
  return v * 1000;
}

export interface BackfillOptions {
  intervalMs: number;
  /**
   * Rows per model call. The default model (USE lite) computes on the event loop, ≈ 30 ms a row
   * (controller bench): 4 rows keep a render from waiting more than ≈ 0.1 s behind a batch.
   */
  batch?: number;
  /** Rows per tick at most. */
  maxPerTick?: number;
  onEmbedded?: (n: number) => void;
  onError?: (message: string) => void;
}

export interface Backfill {
  /** One tick now (also what the timer runs); resolves with the rows embedded. */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

export function startEmbedBackfill(store: Pick<RagStore, 'embedPending'>, o: BackfillOptions): Backfill {
  const batch = o.batch ?? 4;
  const maxPerTick = o.maxPerTick ?? 256;
  let running: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const work = async (): Promise<number> => {
    let total = 0;
    while (!stopped && total < maxPerTick) {
      const { seen, embedded } = await store.embedPending(Math.min(batch, maxPerTick - total));
      total += embedded;
      if (seen === 0 || embedded === 0) break; // nothing left, or only rows changing under us
    }
    return total;
  };

  const tick = (): Promise<number> => {
    running ??= work()
      .then((n) => {
        if (n > 0) o.onEmbedded?.(n);
        return n;
      }, (e: unknown) => {
        o.onError?.(`embedding recorded deployments: ${e instanceof Error ? e.message : String(e)}`);
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().then(schedule), o.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
