// Stage "advise": the LLM step, when the function input names a host (spec.llm.host). The model is
// asked once per new decision (never on a pinned render: the pin stage ends those first) with the
// whitelisted prompt and the answer's JSON schema; the guardrails then hold its answer to the
// engine's feasibility, catalog, quotas, policies and budget. A timeout, an unreachable server,
// invalid JSON or an answer the guardrails refuse leaves the engine's decision in place, marked
// engine llm-fallback, with a Warning naming the reason: the model is never in the way.
import type { DecideOutput } from '../decision/decide.js';
import { answerJsonSchema, parseAnswer } from '../llm/answer.js';
import { chatWithRetries, LlmCallError, ollamaConnector, type LlmConnector } from '../llm/client.js';
import { LLM_FALLBACK_ENGINE, llmEnabled, llmEngine } from '../llm/config.js';
import { applyGuardrails } from '../llm/guardrails.js';
import { buildMessages } from '../llm/prompt.js';
import { llmCallDuration, llmFallbacks } from '../metrics/registry.js';
import type { Analysis, LlmTrace } from '../types.js';
import type { RenderContext } from './context.js';
import { decisionFacts } from './decide.js';
import type { ClaimFacts } from './provider.js';
import type { Res } from './result.js';
import type { Retrieved } from './retrieve.js';

export interface Advised {
  out: DecideOutput;
  results: Res[];
}

const defaultConnector: LlmConnector = ollamaConnector();

/** The first word of a fallback reason ("timeout", "invalid JSON", "infeasible strategy" …) as a metric label. */
const reasonLabel = (reason: string): string => (/^(invalid JSON|answer does not match|infeasible strategy|over budget|policy|[a-z-]+)/.exec(reason)?.[1] ?? 'other').replace(/ /g, '-');

export async function advise(ctx: RenderContext, facts: ClaimFacts, analysis: Analysis, retrieved: Retrieved, engine: DecideOutput): Promise<Advised> {
  const llm = facts.settings.llm;
  if (!llmEnabled(llm)) return { out: engine, results: [] };
  const model = llm.model;
  const feasible = facts.spec.strategy !== 'auto' ? [facts.spec.strategy] : engine.candidates.map((c) => c.strategy);
  const dfacts = decisionFacts(facts, analysis, retrieved);
  const fallback = (reason: string, extra: Partial<LlmTrace> = {}): Advised => {
    llmFallbacks.inc({ reason: reasonLabel(reason) });
    const trace: LlmTrace = { model, outcome: 'fallback', engineStrategy: engine.decision.strategy, fallbackReason: reason, ...extra };
    return {
      out: { ...engine, decision: { ...engine.decision, engine: LLM_FALLBACK_ENGINE, llm: trace } },
      results: [{ severity: 'warning', reason: 'LlmFallback', message: `${llmEngine(model)} at ${llm.host}: ${reason}; the engine's decision (rules) stands` }],
    };
  };

  const messages = buildMessages({
    analysis,
    intentPrompt: facts.spec.prompt,
    intent: facts.intent,
    neighbors: [...retrieved.neighbors, ...retrieved.avoid],
    engine,
    feasible,
    budget: facts.budget,
    cloud: facts.provider.type,
    region: facts.region,
    caps: { ...(dfacts.maxReplicas !== undefined ? { maxReplicas: dfacts.maxReplicas } : {}), ...(dfacts.maxNodes !== undefined ? { maxNodes: dfacts.maxNodes } : {}), singleInstance: engine.feasibility.singleInstance !== undefined },
  });
  let raw: string;
  const t0 = performance.now();
  const called = (outcome: string) => llmCallDuration.observe({ model, outcome }, (performance.now() - t0) / 1000);
  try {
    ({ raw } = await chatWithRetries(
      (ctx.deps.llm ?? defaultConnector)(llm.host),
      { model, messages, format: answerJsonSchema(feasible, facts.provider.type), temperature: llm.temperature, contextSize: llm.contextSize, maxTokens: llm.maxTokens, timeoutMs: llm.timeoutMs },
      llm.retries,
    ));
  } catch (e) {
    called(e instanceof LlmCallError && e.kind === 'timeout' ? 'timeout' : 'error');
    return fallback(e instanceof LlmCallError ? `${e.kind}: ${e.message}` : `error: ${String(e)}`);
  }
  const parsed = parseAnswer(raw);
  called(parsed.ok ? 'ok' : 'invalid');
  if (!parsed.ok) return fallback(parsed.problem);
  const { answer } = parsed;
  const guarded = applyGuardrails({ engine, answer, model, feasible, facts: dfacts, region: facts.region, traffic: facts.settings.traffic });
  if (!guarded.ok) return fallback(guarded.reason, { proposed: answer.strategy, reasoning: answer.reasoning });
  const trace: LlmTrace = { model, outcome: 'accepted', engineStrategy: engine.decision.strategy, proposed: answer.strategy, reasoning: answer.reasoning, ...(guarded.adjusted.length ? { adjusted: guarded.adjusted } : {}) };
  return {
    out: { ...guarded.out, decision: { ...guarded.out.decision, llm: trace } },
    results: guarded.adjusted.length ? [{ severity: 'warning', reason: 'LlmAdjusted', message: `${llmEngine(model)}'s sizes were clamped: ${guarded.adjusted.join('; ')}` }] : [],
  };
}
