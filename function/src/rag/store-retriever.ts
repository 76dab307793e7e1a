// The RAG store as the pipeline's Retriever. The function server opens and warms the store in the
// background and waits for that (ready(), bounded) before it listens; until it is open (or if it
// cannot open) every retrieval fails fast, which the pipeline turns into a decision without
// neighbours plus a RetrievalUnavailable warning.
import type { Retriever, RetrievalQuery, RetrievalResult } from '../retrieval/retriever.js';
import type { Neighbor } from '../types.js';
import { startEmbedBackfill, type Backfill } from './backfill.js';
import type { Scored } from './rerank.js';
import type { RagStore } from './store.js';
import { warmStore } from './warm-up.js';

/** Exactly the fields the XRD's status.decision.neighbors declares; the rerank score stays internal. */
export function toNeighbor(s: Scored): Neighbor {
  return {
    name: s.namespace && s.namespace !== 'default' ? `${s.namespace}/${s.name}` : s.name,
    similarity: Math.round(s.similarity * 100) / 100,
    strategy: s.strategy,
    outcome: s.outcome,
    ...(s.costMonthly !== null ? { costMonthly: Math.round(s.costMonthly * 100) / 100 } : {}),
    feedback: s.feedback,
  };
}

export function storeRetriever(store: RagStore): Retriever {
  return {
    name: `rag:${store.db.kind}`,
    async retrieve(q: RetrievalQuery, signal: AbortSignal): Promise<RetrievalResult> {
      const r = await store.search(q, signal);
      return { neighbors: r.neighbors.map(toNeighbor), avoid: r.avoid.map(toNeighbor) };
    },
  };
}

export interface BackgroundOptions {
  /** Warm up right after the store opens (warm-up.ts: the model's load, its first inference, a first query), so no render pays for it. */
  warm?: boolean;
  /** After a failed open, try again on a retrieval at least this much later. */
  retryMs?: number;
  /** How long a retrieval waits for an open in progress; keep it under the render's retrieval timeout. */
  openWaitMs?: number;
  /** Embed the rows recorded without a vector (by the controller) this often; 0 or unset: never. */
  backfillMs?: number;
  onError?: (message: string) => void;
  onOpen?: (store: RagStore) => void;
  onEmbedded?: (n: number) => void;
}

/** How ready() ended: after durationMs, warm, or with the reason it is not (yet). */
export interface Readiness {
  durationMs: number;
  problem?: string;
}

export class BackgroundRagRetriever implements Retriever {
  readonly name = 'rag';
  private opening: Promise<RagStore> | undefined;
  private warming: Promise<void> | undefined;
  private store: RagStore | undefined;
  private failure: { message: string; at: number } | undefined;
  private openingSince: number | undefined;
  private closed = false;
  private backfill: Backfill | undefined;

  constructor(
    private readonly open: () => Promise<RagStore>,
    private readonly opts: BackgroundOptions = {},
  ) {}

  /** Starts opening; returns at once. */
  start(): this {
    if (!this.opening) this.openingSince = Date.now();
    this.opening ??= this.open().then(
      (store) => {
        if (this.closed) {
          void store.close();
          throw new Error('RAG retriever closed');
        }
        this.store = store;
        this.failure = undefined;
        this.openingSince = undefined;
        this.opts.onOpen?.(store);
        if (this.opts.warm) {
          this.warming = warmStore(store).catch((e: unknown) => {
            const message = `warming up (embedding model, first retrieval): ${(e as Error).message}`;
            this.opts.onError?.(message);
            throw new Error(message, { cause: e });
          });
          this.warming.catch(() => undefined); // reported through onError and ready()
        }
        if (this.opts.backfillMs && store.model.matches) {
          this.backfill = startEmbedBackfill(store, {
            intervalMs: this.opts.backfillMs,
            ...(this.opts.onError ? { onError: this.opts.onError } : {}),
            ...(this.opts.onEmbedded ? { onEmbedded: this.opts.onEmbedded } : {}),
          });
        }
        return store;
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.failure = { message, at: Date.now() };
        this.opening = undefined;
        this.openingSince = undefined;
        this.opts.onError?.(message);
        throw e;
      },
    );
    this.opening.catch(() => undefined); // reported through retrieve() and onError
    return this;
  }

  async retrieve(q: RetrievalQuery, signal: AbortSignal): Promise<RetrievalResult> {
    if (this.closed) throw new Error('RAG store is closed');
    if (!this.store) {
      const f = this.failure;
      if (f && Date.now() - f.at < (this.opts.retryMs ?? 30_000)) throw new Error(`RAG store unavailable: ${f.message}`);
      const store = await this.waitOpen();
      return storeRetriever(store).retrieve(q, signal);
    }
    return storeRetriever(this.store).retrieve(q, signal);
  }

  /**
   * Waits briefly for an open in progress (it may be about to finish), then says so plainly rather
   * than letting the render's timeout report a bare "timed out".
   */
  private async waitOpen(): Promise<RagStore> {
    const opening = this.start().opening!;
    this.openingSince ??= Date.now();
    let timer: NodeJS.Timeout | undefined;
    const pause = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`RAG store is still opening (for ${((Date.now() - (this.openingSince ?? Date.now())) / 1000).toFixed(1)} s)`)), this.opts.openWaitMs ?? 200);
    });
    try {
      return await Promise.race([opening, pause]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Starts opening if needed and waits until the store is open and warm, at most timeoutMs. Never
   * rejects: a failure or the timeout comes back as `problem`, and an unfinished warm-up goes on.
   */
  async ready(timeoutMs: number): Promise<Readiness> {
    const t0 = performance.now();
    const since = () => Math.round(performance.now() - t0);
    const done = this.start().opening!.then(() => this.warming);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`not ready within ${timeoutMs} ms (it goes on in the background)`), timeoutMs);
    });
    try {
      const problem = await Promise.race([done.then(() => undefined, (e: unknown) => (e instanceof Error ? e.message : String(e))), late]);
      return { durationMs: since(), ...(problem ? { problem } : {}) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** True once the store is open (scai_rag_store_up). */
  isOpen(): boolean {
    return !!this.store && !this.closed;
  }

  /** The embedding backlog, or undefined while the store is not open: a scrape never opens it. */
  async withoutEmbedding(): Promise<number | undefined> {
    return this.isOpen() ? this.store!.withoutEmbedding() : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.backfill?.stop();
    const s = this.store ?? (await this.opening?.catch(() => undefined));
    await s?.close();
  }
}
