// Prometheus metrics on a registry of the controller's own (plus Node's process metrics: RSS, CPU).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RecordKind = 'outcome' | 'failure' | 'final' | 'feedback' | 'cost';

export class Metrics {
  readonly registry = new Registry();
  readonly recordsWritten = new Counter({ name: 'scai_controller_records_written_total', help: 'Records written to the RAG store', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly errors = new Counter({ name: 'scai_controller_errors_total', help: 'Errors by operation', labelNames: ['op'] as const, registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'scai_controller_queue_depth', help: 'Keys waiting in the work queue', registers: [this.registry] });
  readonly reconciles = new Counter({ name: 'scai_controller_reconciles_total', help: 'Reconciles run', registers: [this.registry] });
  readonly reconcileDuration = new Histogram({
    name: 'scai_controller_reconcile_duration_seconds',
    help: 'Reconcile duration',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly leader = new Gauge({ name: 'scai_controller_is_leader', help: '1 while this replica holds the lease', registers: [this.registry] });
  readonly costSyncs = new Counter({ name: 'scai_controller_cost_syncs_total', help: 'Cost syncs by result', labelNames: ['result'] as const, registers: [this.registry] });
  private lastCostSync: number | undefined;
  readonly costSyncAge: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const self = this;
    this.costSyncAge = new Gauge({
      name: 'scai_controller_cost_sync_age_seconds',
      help: 'Seconds since the last successful cost sync (-1 before the first)',
      registers: [this.registry],
      collect() {
        this.set(self.lastCostSync === undefined ? -1 : (Date.now() - self.lastCostSync) / 1000);
      },
    });
  }

  costSynced(): void {
    this.lastCostSync = Date.now();
  }
}
