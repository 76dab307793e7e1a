// Instrumentation of the pipeline at its stage boundaries: run.ts wraps each stage function with
// timedStage() and hands the finished result to recordRender(). Cheap by design (a pinned render adds
// a few clock reads and histogram observations on pre-bound series, no I/O, no allocation per label
// lookup) and blind to the claim: labels are stage names, outcomes, strategies, engines, clouds and
// result reasons, all fixed by the code.
import type { Obj } from '../../../lib/obj.js';
import type { PipelineResult, Res } from '../pipeline/result.js';
import { decisionConfidence, decisions, pinnedRenders, renderDuration, renderResults } from './registry.js';

type Observe = (seconds: number) => void;
const bound = new Map<string, Observe>();

/** renderDuration's series for one stage and outcome, bound once per process. */
function series(stage: string, outcome: string): Observe {
  const key = `${stage}\0${outcome}`;
  let o = bound.get(key);
  if (!o) {
    const child = renderDuration.labels(stage, outcome);
    o = (s) => child.observe(s);
    bound.set(key, o);
  }
  return o;
}

const sinceSeconds = (t0: number) => (performance.now() - t0) / 1000;

/** The stage a result came from: set by timedStage for results first seen in what a stage returned. */
const origin = new WeakMap<Res, string>();

function claim(stage: string, value: unknown): 'ok' | 'done' {
  const done = !!value && typeof value === 'object' && 'done' in value;
  const results = (done ? (value as { done: PipelineResult }).done.results : (value as { results?: unknown } | undefined)?.results) as Res[] | undefined;
  if (Array.isArray(results)) for (const r of results) if (!origin.has(r)) origin.set(r, stage);
  return done ? 'done' : 'ok';
}

/**
 * The stage function `fn`, timed into scai_render_duration_seconds{stage}: outcome `done` when it
 * ended the render (returned { done }), `error` when it threw, `ok` otherwise. Sync stays sync.
 */
export function timedStage<A extends unknown[], R>(stage: string, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    const t0 = performance.now();
    let r: R;
    try {
      r = fn(...args);
    } catch (e) {
      series(stage, 'error')(sinceSeconds(t0));
      throw e;
    }
    if (r instanceof Promise) {
      return r.then(
        (v: unknown) => {
          series(stage, claim(stage, v))(sinceSeconds(t0));
          return v;
        },
        (e: unknown) => {
          series(stage, 'error')(sinceSeconds(t0));
          throw e;
        },
      ) as R;
    }
    series(stage, claim(stage, r))(sinceSeconds(t0));
    return r;
  };
}

/** Results made outside any stage (the claim's unreadable pin, a failed stage, kept observed resources). */
export function attribute(results: readonly Res[], stage: string): void {
  for (const r of results) if (!origin.has(r)) origin.set(r, stage);
}

export type RenderOutcome = 'decided' | 'pinned' | 'fatal' | 'pending';

export function renderOutcome(result: PipelineResult): RenderOutcome {
  if (result.results.some((r) => r.severity === 'fatal')) return 'fatal';
  if (result.report?.pinned) return 'pinned';
  return result.report ? 'decided' : 'pending';
}

/** Everything a finished render tells: its duration and outcome, a new decision, its results. */
export function recordRender(result: PipelineResult, t0: number): void {
  const outcome = renderOutcome(result);
  series('total', outcome)(sinceSeconds(t0));
  if (outcome === 'pinned') pinnedRenders.inc();
  const report = result.report;
  const decision = result.status?.decision as Obj | undefined;
  // A new decision is one the status pins now (a refused one composes nothing and pins nothing).
  if (outcome === 'decided' && report && decision) {
    const cloud = (decision.target as Obj | undefined)?.cloud;
    decisions.inc({ strategy: report.strategy, engine: report.engine, cloud: typeof cloud === 'string' ? cloud : 'unknown' });
    decisionConfidence.observe({ strategy: report.strategy }, report.confidence);
  }
  for (const r of result.results) {
    if (r.severity === 'normal') continue;
    renderResults.inc({ severity: r.severity, stage: origin.get(r) ?? 'unknown', reason: r.reason ?? 'none' });
  }
}
