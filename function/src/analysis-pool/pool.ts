// Repository analysis off the render path's event loop: analyses run in worker threads, so a pinned
// render (which does no I/O and no analysis) is never queued behind a large repository. Bounded:
//   - at most `workers` analyses run at once and `maxQueued` wait; one more is refused at once
//     (the render fails with a Warning or Fatal naming the stage and retries after failureTtl);
//   - an analysis running past `timeoutMs` has its thread stopped and fails naming the limit;
//   - what one analysis reads is already bounded by the snapshot limits (files, bytes, depth).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../analysis/analyze.js';
import type { Analysis, RepoSnapshot } from '../types.js';

export interface AnalysisJob {
  id: number;
  snapshot: RepoSnapshot;
  opts: AnalyzeOptions;
}

export type AnalysisReply = { id: number; analysis: Analysis } | { id: number; error: string } | { ready: true };

export interface AnalysisPoolOptions {
  /** Threads analysing at once. */
  workers: number;
  /** Analyses waiting for a thread; one more is refused. */
  maxQueued: number;
  /** Wall time of one analysis, from when a thread takes it. */
  timeoutMs: number;
}

/** Defaults: one thread per spare core (at least one), 32 waiting, 30 s each. */
export const POOL_DEFAULTS: AnalysisPoolOptions = {
  workers: Math.max(1, Math.min(4, availableParallelism() - 1)),
  maxQueued: 32,
  timeoutMs: 30_000,
};

/** Pool options from SCAI_ANALYSIS_WORKERS, SCAI_ANALYSIS_QUEUE and SCAI_ANALYSIS_TIMEOUT_SECONDS; a bad value is an error naming it. */
export function poolOptionsFromEnv(env: NodeJS.ProcessEnv): AnalysisPoolOptions {
  const read = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}`);
    return n;
  };
  return {
    workers: read('SCAI_ANALYSIS_WORKERS', POOL_DEFAULTS.workers, 1),
    maxQueued: read('SCAI_ANALYSIS_QUEUE', POOL_DEFAULTS.maxQueued, 0),
    timeoutMs: read('SCAI_ANALYSIS_TIMEOUT_SECONDS', POOL_DEFAULTS.timeoutMs / 1000, 1) * 1000,
  };
}

interface Pending extends AnalysisJob {
  resolve(a: Analysis): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  /** The thread has loaded the analyser: jobs go to ready threads only. */
  ready: boolean;
  job?: Pending;
  timer?: NodeJS.Timeout;
}

/** The worker's entry: the compiled .js next to this file, or (tests, tsx) the .ts through tsx. */
function spawnWorker(): Worker {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(ts ? './worker.ts' : './worker.js', import.meta.url);
  const worker = ts
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true })
    : new Worker(url);
  // Threads never keep the process alive: the server (or the caller's await) does.
  worker.unref();
  return worker;
}

export class AnalysisPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Analyses stopped for running past timeoutMs, and refused because the queue was full. */
  readonly stats = { timedOut: 0, refused: 0, completed: 0 };

  constructor(readonly opts: AnalysisPoolOptions = POOL_DEFAULTS) {}

  /** An Analyzer for the pipeline: the same answer as analyzeRepository, computed on a thread. */
  readonly analyze = (snapshot: RepoSnapshot, opts: AnalyzeOptions = {}): Promise<Analysis> =>
    new Promise<Analysis>((resolve, reject) => {
      if (this.closed) return reject(new Error('the analysis pool is closed'));
      const free = this.opts.workers - this.slots.filter((s) => s.job).length;
      if (this.queue.length >= this.opts.maxQueued + free) {
        this.stats.refused++;
        return reject(new Error(`the server is busy: ${this.load} analyses running or waiting (SCAI_ANALYSIS_WORKERS ${this.opts.workers}, SCAI_ANALYSIS_QUEUE ${this.opts.maxQueued}); retrying later`));
      }
      this.queue.push({ id: this.nextId++, snapshot, opts, resolve, reject });
      this.pump();
    });

  /** Analyses running plus waiting. */
  get load(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('the analysis pool is closed'));
    await Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }

  /** A ready thread without a job; starts one more thread (ready later, then pump again) while below `workers`. */
  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((s) => s.ready && !s.job);
    if (idle) return idle;
    if (this.slots.length < this.opts.workers && this.slots.every((s) => s.ready)) this.addSlot();
    return undefined;
  }

  private addSlot(): Slot {
    const slot: Slot = { worker: spawnWorker(), ready: false };
    slot.worker.on('message', (reply: AnalysisReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        return this.pump();
      }
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      this.finish(slot);
      this.stats.completed++;
      if ('error' in reply) job.reject(new Error(reply.error));
      else job.resolve(reply.analysis);
      this.pump();
    });
    // A thread that dies (out of memory, a bug) fails its job and is replaced on the next one.
    const lost = (why: string) => {
      if (!this.slots.includes(slot)) return; // stopped by the pool (timeout, close)
      const job = slot.job;
      this.drop(slot);
      job?.reject(new Error(`analysis thread stopped: ${why}`));
      // A thread that cannot even start would be restarted forever: fail what waits instead.
      if (!slot.ready) for (const p of this.queue.splice(0)) p.reject(new Error(`analysis thread failed to start: ${why}`));
      this.pump();
    };
    slot.worker.on('error', (e) => lost(e.message));
    slot.worker.on('exit', (code) => lost(`exit ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    delete slot.timer;
    delete slot.job;
  }

  private drop(slot: Slot): void {
    this.finish(slot);
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const slot = this.idleSlot();
      if (!slot) return;
      const job = this.queue.shift() as Pending;
      slot.job = job;
      slot.timer = setTimeout(() => {
        // Stopping the thread is the only way to stop a synchronous analysis; a new one replaces it.
        this.stats.timedOut++;
        this.drop(slot);
        void slot.worker.terminate();
        job.reject(new Error(`analysis stopped after ${this.opts.timeoutMs / 1000} s (SCAI_ANALYSIS_TIMEOUT_SECONDS): the repository is too large to analyse; narrow it with spec.repository.path`));
        this.pump();
      }, this.opts.timeoutMs);
      slot.timer.unref();
      slot.worker.postMessage({ id: job.id, snapshot: job.snapshot, opts: job.opts } satisfies AnalysisJob);
    }
  }
}
