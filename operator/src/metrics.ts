// Prometheus metrics on a registry of the controller's own (plus Node's process metrics: RSS, CPU).
// Same naming scheme as function-scai's (function/src/metrics/registry.ts):
// scai_<subsystem>_<what>_<unit>[_total]. The controller's own work is scai_controller_*; what its
// informer cache knows of every team's deployments is scai_team_* (read at scrape time, leader only:
// a standby has no cache and reports none).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { teamTotals } from './fleet.js';
import type { XR } from './xr.js';

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

  private fleet: () => readonly XR[] = () => [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const self = this;
    const registers = [this.registry];
    const team = ['team'] as const;
    const teamGauges = {
      // Registered first, so its collect (one walk of the cache per scrape) fills every team gauge.
      deployments: new Gauge({ name: 'scai_team_deployments', help: 'Decided deployments per team (claim namespace)', labelNames: team, registers, collect: () => fillTeams() }),
      estimated: new Gauge({
        name: 'scai_team_estimated_monthly_cost_usd',
        help: 'Σ status.cost.estimatedMonthly per team; measured="true": deployments whose actual cost is known',
        labelNames: ['team', 'measured'] as const,
        registers,
      }),
      actual: new Gauge({ name: 'scai_team_actual_cost_usd', help: 'Σ status.cost.actualThisMonth (month to date) per team', labelNames: team, registers }),
      budget: new Gauge({ name: 'scai_team_budget_usd', help: 'Σ spec.budget.maxMonthlyCost of the team deployments that set one', labelNames: team, registers }),
      headroom: new Gauge({ name: 'scai_team_budget_headroom_usd', help: 'Σ budget − max(estimate, actual) over the team deployments with a budget; negative when over', labelNames: team, registers }),
      alerts: new Gauge({ name: 'scai_team_budget_alerts', help: 'Team deployments whose BudgetOK condition says NearLimit or OverBudget', labelNames: ['team', 'reason'] as const, registers }),
      feedback: new Gauge({ name: 'scai_team_feedback', help: 'Team deployments carrying a scai.io/feedback vote, by vote (up, down)', labelNames: ['team', 'vote'] as const, registers }),
    };
    const fillTeams = () => {
      for (const g of Object.values(teamGauges)) g.reset();
      for (const [t, v] of teamTotals(self.fleet())) {
        teamGauges.deployments.set({ team: t }, v.deployments);
        teamGauges.estimated.set({ team: t, measured: 'true' }, v.estimated.measured);
        teamGauges.estimated.set({ team: t, measured: 'false' }, v.estimated.unmeasured);
        teamGauges.actual.set({ team: t }, v.actual);
        teamGauges.budget.set({ team: t }, v.budget);
        teamGauges.headroom.set({ team: t }, v.headroom);
        for (const [reason, n] of Object.entries(v.budgetAlerts)) teamGauges.alerts.set({ team: t, reason }, n);
        for (const [vote, n] of Object.entries(v.feedback)) teamGauges.feedback.set({ team: t, vote }, n);
      }
    };
    this.costSyncAge = new Gauge({
      name: 'scai_controller_cost_sync_age_seconds',
      help: 'Seconds since the last successful cost sync (-1 before the first)',
      registers: [this.registry],
      collect() {
        this.set(self.lastCostSync === undefined ? -1 : (Date.now() - self.lastCostSync) / 1000);
      },
    });
  }

  /** The informer cache the scai_team_* gauges are read from (set by the leader). */
  watchFleet(list: () => readonly XR[]): void {
    this.fleet = list;
  }

  costSynced(): void {
    this.lastCostSync = Date.now();
  }
}
