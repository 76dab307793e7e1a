// package/monitoring/: the Grafana dashboard's shape (@grafana/schema is not a dependency, so every
// panel and target is loaded and checked here), every metric the dashboard and the alert rules name
// exists in the function's or the controller's registry, and the DeploymentRuntimeConfig / Function /
// PodMonitor agree on labels and ports. The queries themselves run on a real Prometheus in
// test/e2e/metrics.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { functionRegistry } from '../function/src/metrics/registry.js';
import { Metrics } from '../operator/src/metrics.js';
import { CrdValidator, readYamlDocs, SHARED_CRDS } from './helpers/crd-validate.js';
import { ROOT } from './helpers/fn.js';

import type { LooseObj as Obj } from '../lib/obj.js';

const DIR = join(ROOT, 'package', 'monitoring');
const dashboard = JSON.parse(readFileSync(join(DIR, 'dashboard.json'), 'utf8'));
const rules = parse(readFileSync(join(DIR, 'alerts.yaml'), 'utf8'));
const PANEL_TYPES = new Set(['timeseries', 'stat', 'bargauge', 'barchart', 'table', 'heatmap', 'gauge']);
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** Every metric name defined by the two registries, with the series a histogram adds. */
async function knownMetrics(): Promise<Set<string>> {
  const names = new Set<string>();
  const add = (json: Array<{ name: string; type: string }>) => {
    for (const m of json) {
      names.add(m.name);
      if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    }
  };
  add((await functionRegistry.getMetricsAsJSON()) as never);
  add((await new Metrics().registry.getMetricsAsJSON()) as never);
  // Registered only once a store is watched (function-scai with a RAG store).
  names.add('scai_rag_store_up');
  names.add('scai_embedding_backlog');
  return names;
}

/** Metric names in a PromQL expression: identifiers followed by `{`, `[` or a space/`)` that are scai_ series. */
const metricsIn = (expr: string) => [...expr.matchAll(/\b(scai_[a-z_]+)\b/g)].map((m) => m[1]!);

describe('Grafana dashboard', () => {
  const panels = dashboard.panels as Obj[];
  const data = panels.filter((p) => p.type !== 'row');

  it('has the dashboard fields Grafana imports: title, uid, schemaVersion, a Prometheus data source variable', () => {
    expect(typeof dashboard.title).toBe('string');
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(Number.isInteger(dashboard.schemaVersion)).toBe(true);
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    expect(dashboard.time).toEqual({ from: expect.any(String), to: 'now' });
  });

  it('every panel has a unique id, a type Grafana ships, a grid position within 24 columns', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of panels) {
      expect(p.type === 'row' || PANEL_TYPES.has(p.type), `${p.title}: ${p.type}`).toBe(true);
      const g = p.gridPos;
      for (const k of ['h', 'w', 'x', 'y']) expect(Number.isInteger(g[k]), `${p.title} gridPos.${k}`).toBe(true);
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
    }
  });

  it("every data panel queries the dashboard's Prometheus data source with at least one target, each with a refId and an expr", () => {
    expect(data.length).toBeGreaterThan(10);
    for (const p of data) {
      expect(p.datasource, p.title).toEqual(DATASOURCE);
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      const refIds = p.targets.map((t: Obj) => t.refId);
      expect(new Set(refIds).size, p.title).toBe(refIds.length);
      for (const t of p.targets) {
        expect(t.datasource, p.title).toEqual(DATASOURCE);
        expect(typeof t.expr === 'string' && t.expr.trim().length > 0, p.title).toBe(true);
        expect(metricsIn(t.expr).length, `${p.title}: ${t.expr}`).toBeGreaterThan(0);
      }
    }
  });

  it('covers what operators asked for: decisions, confidence, cost per team, budget headroom, render p50/p99 by stage, RAG latency, failures, feedback', () => {
    const all = data.flatMap((p) => p.targets.map((t: Obj) => t.expr as string)).join('\n');
    for (const m of ['scai_decisions_total', 'scai_decision_confidence_bucket', 'scai_team_estimated_monthly_cost_usd', 'scai_team_actual_cost_usd', 'scai_team_budget_headroom_usd', 'scai_retrieval_duration_seconds_bucket', 'scai_render_results_total', 'scai_team_feedback']) {
      expect(all, m).toContain(m);
    }
    expect(all).toContain('histogram_quantile(0.5, sum by (le, stage) (rate(scai_render_duration_seconds_bucket');
    expect(all).toContain('histogram_quantile(0.99, sum by (le, stage) (rate(scai_render_duration_seconds_bucket');
  });
});

describe('dashboard and alert rules name only metrics that exist', () => {
  it('in function-scai or the controller', async () => {
    const known = await knownMetrics();
    const exprs = [
      ...(dashboard.panels as Obj[]).flatMap((p) => (p.targets ?? []).map((t: Obj) => t.expr as string)),
      ...rules.spec.groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.expr as string)),
    ];
    const unknown = exprs.flatMap((e) => metricsIn(e)).filter((m) => !known.has(m));
    expect(unknown).toEqual([]);
  });
});

describe('PrometheusRule', () => {
  it('has the alerts asked for, each with a duration, a severity and a summary', () => {
    expect(rules).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    const alerts = rules.spec.groups.flatMap((g: Obj) => g.rules) as Obj[];
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'ScaiActualCostOverEstimate',
      'ScaiBudgetThresholdCrossed',
      'ScaiDecisionFailures',
      'ScaiEmbeddingBacklogGrowing',
      'ScaiRagStoreDown',
      'ScaiRetrievalFailing',
    ]);
    for (const a of alerts) {
      expect(a.for, a.alert).toMatch(/^\d+[smh]$/);
      expect(['info', 'warning', 'critical']).toContain(a.labels.severity);
      expect(a.annotations.summary, a.alert).toBeTruthy();
    }
  });
});

describe('DeploymentRuntimeConfig, Function and PodMonitors', () => {
  const [drc, fn] = readYamlDocs(join(DIR, 'deployment-runtime-config.yaml')) as [Obj, Obj];
  const monitors = readYamlDocs(join(DIR, 'podmonitor.yaml'));

  it('the runtime container gets --metrics-address and a port named metrics on the same number', () => {
    expect(drc).toMatchObject({ apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig' });
    const c = drc.spec.deploymentTemplate.spec.template.spec.containers.find((x: Obj) => x.name === 'package-runtime');
    const flag = (c.args as string[]).find((a) => a.startsWith('--metrics-address='));
    const port = c.ports.find((p: Obj) => p.name === 'metrics');
    expect(flag).toBe(`--metrics-address=0.0.0.0:${port.containerPort}`);
    expect(c.ports.find((p: Obj) => p.name === 'grpc')?.containerPort).toBe(9443);
  });

  it('the Function that uses it is valid against the Crossplane v2.1.8 Function CRD', () => {
    const v = new CrdValidator().addDir(join(SHARED_CRDS, 'crossplane-v2.1.8'));
    expect(v.errors(fn)).toEqual([]);
    expect(fn.spec.runtimeConfigRef).toEqual({ apiVersion: drc.apiVersion, kind: drc.kind, name: drc.metadata.name });
  });

  it('the PodMonitors select the pods and ports the DeploymentRuntimeConfig and the controller Deployment declare', () => {
    const byName = Object.fromEntries(monitors.map((m) => [m.metadata.name, m]));
    const podLabels = drc.spec.deploymentTemplate.spec.template.metadata.labels;
    expect(byName['function-scai'].spec.selector.matchLabels).toEqual(podLabels);
    expect(byName['function-scai'].spec.podMetricsEndpoints[0].port).toBe('metrics');
    const [controller] = readYamlDocs(join(ROOT, 'operator', 'deploy', 'deployment.yaml')).filter((d) => d.kind === 'Deployment');
    expect(byName['scai-controller'].spec.selector.matchLabels).toEqual(controller!.spec.template.metadata.labels);
    const ports = controller!.spec.template.spec.containers[0].ports.map((p: Obj) => p.name);
    expect(ports).toContain(byName['scai-controller'].spec.podMetricsEndpoints[0].port);
  });
});
