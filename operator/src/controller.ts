// The informer + work queue around the reconciler. Watches XDeployments (list + watch, restarted with
// backoff after errors, periodic resync of every cached key), and enqueues a key only when something
// the reconciler looks at changed: a status write (ours: actualThisMonth; Crossplane's: anything
// else that does not move phase, conditions or the decision) does not cause a reconcile.
import { makeInformer, type Informer, type ObjectCache } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { backoffDelay, WorkQueue, type BackoffOptions } from './queue.js';
import type { Kube } from './kube.js';
import type { Metrics } from './metrics.js';
import type { Reconciler } from './reconcile.js';
import { SCAI_GROUP, SCAI_VERSION } from '../../lib/domain.js';
import { FEEDBACK, FEEDBACK_COMMENT, PLURAL, decisionHash, hasFinalizer, type XR } from './xr.js';

/** The parts of an XR a reconcile depends on; an update that leaves this unchanged is skipped. */
export function fingerprint(xr: XR): string {
  const a = xr.metadata.annotations ?? {};
  const conds = (Array.isArray(xr.status?.conditions) ? xr.status!.conditions : []).map((c: any) => [c?.type, c?.status, c?.reason, c?.lastTransitionTime]);
  return JSON.stringify([
    xr.metadata.uid,
    xr.metadata.deletionTimestamp ?? null,
    hasFinalizer(xr),
    a[FEEDBACK] ?? null,
    a[FEEDBACK_COMMENT] ?? null,
    xr.status?.phase ?? null,
    decisionHash(xr) ?? null,
    conds,
  ]);
}

export interface ControllerOptions {
  workers: number;
  resyncMs: number;
  backoff: BackoffOptions;
}

export class Controller {
  // Custom objects arrive as plain JSON (timestamps are strings), hence XR rather than client-node's types.
  private readonly informer: Informer<any> & ObjectCache<any>;
  private readonly queue: WorkQueue;
  private readonly seen = new Map<string, string>();
  private resyncTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private watchFailures = 0;
  private stopped = false;
  synced = false;

  constructor(
    kube: Kube,
    private readonly reconciler: Reconciler,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly o: ControllerOptions,
  ) {
    this.informer = makeInformer<any>(kube.kc, `/apis/${SCAI_GROUP}/${SCAI_VERSION}/${PLURAL}`, () => kube.listXRs() as never);
    this.queue = new WorkQueue((k) => this.handle(k), o.workers, o.backoff, {
      onDepth: (d) => metrics.queueDepth.set(d),
      onError: (key, err, ms) => {
        metrics.errors.inc({ op: 'reconcile' });
        log.warn({ xr: key, err: String(err), retryInMs: ms }, 'reconcile failed');
      },
    });
  }

  list(): readonly XR[] {
    return this.informer.list() as XR[];
  }

  private onChange = (xr: XR) => {
    const fp = fingerprint(xr);
    if (this.seen.get(xr.metadata.name) === fp) return;
    this.seen.set(xr.metadata.name, fp);
    this.queue.add(xr.metadata.name);
  };

  private async handle(name: string) {
    const xr = this.informer.get(name) as XR | undefined;
    if (!xr) return;
    const end = this.metrics.reconcileDuration.startTimer();
    this.metrics.reconciles.inc();
    try {
      return await this.reconciler.reconcile(xr);
    } finally {
      end();
    }
  }

  async start(): Promise<void> {
    this.informer.on('add', this.onChange);
    this.informer.on('update', this.onChange);
    this.informer.on('delete', (xr: XR) => {
      this.seen.delete(xr.metadata.name);
      this.queue.forget(xr.metadata.name);
      this.reconciler.forget(xr.metadata.uid);
    });
    this.informer.on('connect', () => {
      this.watchFailures = 0;
    });
    // client-node's informer stops on a watch error; start it again (it relists) after a backoff.
    this.informer.on('error', (err) => {
      if (this.stopped) return;
      this.metrics.errors.inc({ op: 'watch' });
      const ms = backoffDelay(++this.watchFailures, { baseMs: 500, maxMs: 30_000, jitter: 0.5 });
      this.log.warn({ err: String(err), retryInMs: ms }, 'watch failed; restarting');
      this.restartTimer = setTimeout(() => void this.informer.start().catch(() => undefined), ms);
    });
    this.queue.start();
    await this.informer.start();
    this.synced = true;
    // Resync: re-evaluate every object now and then, in case an event was missed.
    this.resyncTimer = setInterval(() => {
      for (const xr of this.informer.list() as XR[]) this.queue.add(xr.metadata.name);
    }, this.o.resyncMs);
    this.resyncTimer.unref();
  }

  /** Stops watching, then waits for in-flight reconciles (their records) to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.restartTimer);
    await this.informer.stop().catch(() => undefined);
    await this.queue.shutdown();
  }
}
