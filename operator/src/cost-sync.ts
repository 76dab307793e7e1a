// Copies each deployment's month-to-date cost into status.cost.actualThisMonth on an interval. One
// source query per sync, then at most `concurrency` status writes at a time, and only where the value
// changed (an unchanged apply would still cost a request). A failing source leaves the last values in
// place and emits one Warning event per deployment when the source goes from healthy to failing (not
// one per interval), and scai_controller_cost_sync_age_seconds shows how stale the values are.
import type { Logger } from 'pino';
import type { CostSource } from './cost/source.js';
import type { Recorder } from './events.js';
import type { Kube } from './kube.js';
import type { Metrics } from './metrics.js';
import { decisionHash, isDeleting, type XR } from './xr.js';

export async function mapBounded<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  const lane = async () => {
    while (i < items.length) await fn(items[i++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

/** Cents: a float that differs below a cent is not a change worth a write. */
const cents = (v: unknown) => (typeof v === 'number' ? Math.round(v * 100) : undefined);

export class CostSync {
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly source: CostSource,
    private readonly list: () => readonly XR[],
    private readonly kube: Kube,
    private readonly events: Recorder,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly o: { intervalMs: number; concurrency: number },
  ) {}

  start(): void {
    const loop = () => {
      this.running = this.syncOnce().finally(() => {
        this.running = undefined;
        if (this.timer !== undefined) this.timer = setTimeout(loop, this.o.intervalMs);
      });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  async syncOnce(now = new Date()): Promise<void> {
    const xrs = this.list().filter((x) => decisionHash(x) && !isDeleting(x));
    let costs: Map<string, number>;
    try {
      costs = await this.source.monthToDate(xrs.map((x) => x.metadata.uid), now);
    } catch (e) {
      this.metrics.costSyncs.inc({ result: 'error' });
      this.metrics.errors.inc({ op: 'cost-source' });
      this.log.warn({ source: this.source.name, err: String(e) }, 'cost source failed');
      if (!this.failing) for (const x of xrs) this.events.event(x, 'Warning', 'CostSyncFailed', `cost source ${this.source.name} failed; actualThisMonth is stale: ${String(e)}`);
      this.failing = true;
      return;
    }
    this.failing = false;
    let writeErrors = 0;
    await mapBounded(xrs, this.o.concurrency, async (x) => {
      const v = costs.get(x.metadata.uid);
      if (v === undefined || cents(v) === cents(x.status?.cost?.actualThisMonth)) return;
      try {
        await this.kube.applyActualCost(x.metadata.name, Math.round(v * 100) / 100);
      } catch (e) {
        writeErrors++;
        this.metrics.errors.inc({ op: 'cost-status' });
        this.log.warn({ xr: x.metadata.name, err: String(e) }, 'cannot write actualThisMonth');
      }
    });
    this.metrics.costSyncs.inc({ result: writeErrors ? 'partial' : 'ok' });
    if (!writeErrors) this.metrics.costSynced();
  }
}
