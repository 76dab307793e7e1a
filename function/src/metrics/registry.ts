// Every Prometheus metric function-scai exposes, on one registry of its own (served by
// metrics/server.ts on --metrics-address, off the gRPC port). Names follow one scheme with the
// controller's (operator/src/metrics.ts): scai_<subsystem>_<what>_<unit>[_total]. Labels are
// low-cardinality by construction: stages, outcomes, strategies, engines, clouds, reasons and
// retriever/model names come from code or configuration, never from a claim (no name, URL or team).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const functionRegistry = new Registry();
// Node's standard process_* and nodejs_* metrics, unprefixed as in the controller (the job label tells them apart).
collectDefaultMetrics({ register: functionRegistry });

const registers = [functionRegistry];

/** Seconds; a pinned render takes well under a millisecond, a first decision seconds (clone + analysis). */
const RENDER_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const renderDuration = new Histogram({
  name: 'scai_render_duration_seconds',
  help: 'Time spent per pipeline stage (stage="total": the whole render) by outcome: ok (went on), done (ended the render), error (failed); for total: decided, pinned, fatal, pending',
  labelNames: ['stage', 'outcome'] as const,
  buckets: RENDER_BUCKETS,
  registers,
});

export const pinnedRenders = new Counter({
  name: 'scai_pinned_renders_total',
  help: 'Renders that composed the pinned decision again (no repository, retrieval or model I/O)',
  registers,
});

export const decisions = new Counter({
  name: 'scai_decisions_total',
  help: 'New decisions composed, by strategy, decision engine and cloud',
  labelNames: ['strategy', 'engine', 'cloud'] as const,
  registers,
});

export const decisionConfidence = new Histogram({
  name: 'scai_decision_confidence',
  help: 'Confidence (0..1) of the new decisions, by strategy',
  labelNames: ['strategy'] as const,
  buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
  registers,
});

export const renderResults = new Counter({
  name: 'scai_render_results_total',
  help: 'Fatal and warning results returned to Crossplane, by severity, the stage that produced them and their reason',
  labelNames: ['severity', 'stage', 'reason'] as const,
  registers,
});

export const retrievalDuration = new Histogram({
  name: 'scai_retrieval_duration_seconds',
  help: 'Retrieval of similar past deployments (RAG), by retriever and outcome (ok, error, timeout)',
  labelNames: ['retriever', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});

/** Renders that decided without neighbours because retrieval failed or was too slow. */
export const retrievalFailures = new Counter({
  name: 'scai_retrieval_failures_total',
  help: 'Retrievals of similar deployments that timed out or failed; the decision went on without neighbours',
  labelNames: ['retriever', 'kind'] as const,
  registers,
});

export const analysisCacheLookups = new Counter({
  name: 'scai_analysis_cache_lookups_total',
  help: 'Analysis cache lookups by result (hit: the repository was not fetched again; miss)',
  labelNames: ['result'] as const,
  registers,
});

// ---------------------------------------------------------------- LLM step (issue 14)
// Defined here so the LLM step records into the same registry; `model` is the configured model name.

export const llmCallDuration = new Histogram({
  name: 'scai_llm_call_duration_seconds',
  help: 'LLM calls by model and outcome (ok, error, timeout, invalid: the answer failed validation)',
  labelNames: ['model', 'outcome'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
  registers,
});

export const llmFallbacks = new Counter({
  name: 'scai_llm_fallbacks_total',
  help: 'Decisions that fell back from the LLM to the rules engine, by reason (down, timeout, invalid, guardrail)',
  labelNames: ['reason'] as const,
  registers,
});

// ---------------------------------------------------------------- RAG store state (read at scrape time)

/** What the store gauges read when Prometheus scrapes; undefined: no store (SCAI_RAG=off). */
export interface StoreProbe {
  /** True once the store is open. */
  open(): boolean;
  /** Rows recorded without a vector (the controller writes them so); undefined while not open. */
  withoutEmbedding(): Promise<number | undefined>;
}

let probe: StoreProbe | undefined;

export const ragStoreUp = new Gauge({
  name: 'scai_rag_store_up',
  help: '1 while the RAG store is open, 0 while it is opening or cannot open (absent when the store is off)',
  registers: [],
  collect() {
    if (probe) this.set(probe.open() ? 1 : 0);
  },
});

export const embeddingBacklog = new Gauge({
  name: 'scai_embedding_backlog',
  help: 'Recorded deployments without a vector yet (embedded in the background by function-scai); 0 while the store is not open',
  registers: [],
  async collect() {
    const n = await probe?.withoutEmbedding().catch(() => undefined);
    if (n !== undefined) this.set(n);
  },
});

/**
 * The process's RAG store, for the two gauges above (main.ts sets it; tests may set their own). They
 * are registered only then, so a server without a store (SCAI_RAG=off) does not report a store down.
 */
export function watchStore(p: StoreProbe): void {
  probe = p;
  for (const [name, g] of [['scai_rag_store_up', ragStoreUp], ['scai_embedding_backlog', embeddingBacklog]] as const) {
    if (!functionRegistry.getSingleMetric(name)) functionRegistry.registerMetric(g);
  }
}
