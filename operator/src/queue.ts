// A work queue with client-go's guarantees, small enough to read in one go:
//  - a key is queued at most once however many events arrive for it (dedup);
//  - a key is never processed by two workers at once: an add while it is processing marks it dirty
//    and it is queued again when the current run finishes (per-key serialisation);
//  - failures back off exponentially per key with full jitter, so a broken object or a down RAG
//    store never becomes a hot loop, and a success forgets the key's failure count;
//  - shutdown stops taking new work and waits for the runs in flight (their records finish).

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0..1: the share of each delay that is randomised (1 = full jitter). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 60_000, jitter: 0.5 };

/** Delay before retry number `failures` (1-based): base·2^(n-1), capped, with jitter. */
export function backoffDelay(failures: number, o: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (1 - o.jitter) + exp * o.jitter * random());
}

export type Outcome = { requeueAfterMs?: number } | void;
export type Handler = (key: string) => Promise<Outcome>;

export interface QueueHooks {
  onDepth?(depth: number): void;
  onError?(key: string, err: unknown, retryInMs: number): void;
}

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly timers = new Map<string, { at: number; t: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private readonly waiters: Array<() => void> = [];
  private running = 0;
  private stopping = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly handler: Handler,
    private readonly workers = 2,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly hooks: QueueHooks = {},
  ) {}

  get depth(): number {
    return this.queue.length;
  }

  add(key: string): void {
    if (this.stopping) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.hooks.onDepth?.(this.queue.length);
    this.waiters.shift()?.();
  }

  /** Adds after a delay; an earlier pending delayed add of the same key wins. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const cur = this.timers.get(key);
    if (cur && cur.at <= at) return;
    if (cur) clearTimeout(cur.t);
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.set(key, { at, t });
  }

  /** Drops a key's failure history (after it was deleted). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  start(): void {
    for (let i = 0; i < this.workers; i++) void this.worker();
  }

  private async next(): Promise<string | undefined> {
    while (!this.stopping && this.queue.length === 0) await new Promise<void>((r) => this.waiters.push(r));
    if (this.stopping) return undefined;
    const key = this.queue.shift()!;
    this.queued.delete(key);
    this.hooks.onDepth?.(this.queue.length);
    return key;
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.next();
      if (key === undefined) return;
      this.processing.add(key);
      this.running++;
      try {
        const out = await this.handler(key);
        this.failures.delete(key);
        if (out && out.requeueAfterMs !== undefined) this.addAfter(key, out.requeueAfterMs);
      } catch (err) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        const delay = backoffDelay(n, this.backoff);
        this.hooks.onError?.(key, err, delay);
        this.addAfter(key, delay);
      } finally {
        this.processing.delete(key);
        this.running--;
        if (this.dirty.delete(key)) this.add(key);
        if (this.running === 0) this.idle.splice(0).forEach((r) => r());
      }
    }
  }

  /** Stops handing out work and resolves once every run in flight has finished. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const { t } of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.waiters.splice(0).forEach((r) => r());
    if (this.running > 0) await new Promise<void>((r) => this.idle.push(r));
  }
}
