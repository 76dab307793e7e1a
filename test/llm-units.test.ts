// The LLM step's pure modules, one at a time: its settings, the answer schema, the whitelisted and
// redacted prompt, and every guardrail. The integration with a real Ollama server is test/llm.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import { defaultSettings, functionInputSchema } from '../function/src/api/input.js';
import { budgetLimit } from '../function/src/decision/budget.js';
import { decide, type DecideOutput } from '../function/src/decision/decide.js';
import { appWeight, type DecisionFacts } from '../function/src/decision/facts.js';
import { parseIntent } from '../function/src/decision/intent.js';
import { ANSWER_TEXT_MAX, answerJsonSchema, parseAnswer, SIZE_ALLOWLIST, type LlmAnswer } from '../function/src/llm/answer.js';
import { LLM_DEFAULTS, llmEnabled } from '../function/src/llm/config.js';
import { applyGuardrails } from '../function/src/llm/guardrails.js';
import { buildMessages, redactSecrets, type PromptInput } from '../function/src/llm/prompt.js';
import { llmStatus, STATUS_TEXT_MAX } from '../function/src/pipeline/status.js';
import type { Analysis, Strategy } from '../function/src/types.js';
import { analysis } from './helpers/analysis.js';
import { CrdValidator, readYamlDocs } from './helpers/crd-validate.js';
import { ROOT } from './helpers/fn.js';

const traffic = { requestsPerMonth: 1_000_000, avgDurationMs: 200 };

function facts(a: Analysis, o: { prompt?: string; policies?: string[]; budget?: number; mode?: 'soft' | 'hard'; maxReplicas?: number; maxNodes?: number } = {}): DecisionFacts {
  const prompt = o.prompt ?? 'Deploy this application';
  const spec = deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a.git' }, cloudProvider: 'p', prompt, ...(o.budget ? { budget: { maxMonthlyCost: o.budget, enforcementMode: o.mode ?? 'soft' } } : {}) });
  const provider = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1' });
  const policies = o.policies ?? [];
  return {
    analysis: a,
    intent: parseIntent(prompt),
    cloud: 'aws',
    policies,
    neighbors: [],
    weight: appWeight(a),
    budget: budgetLimit(spec, provider),
    ...(o.maxReplicas !== undefined ? { maxReplicas: o.maxReplicas } : {}),
    ...(o.maxNodes !== undefined ? { maxNodes: o.maxNodes } : {}),
  };
}

const answer = (strategy: Strategy, config: LlmAnswer['config'] = {}, confidence = 0.9): LlmAnswer => ({ strategy, config, confidence, reasoning: 'because', alternatives: [] });

function guard(f: DecisionFacts, a: LlmAnswer, requested: Strategy | 'auto' = 'auto') {
  const engine = decide({ facts: f, requested, region: 'us-east-1', traffic });
  const feasible = requested === 'auto' ? engine.candidates.map((c) => c.strategy) : [requested];
  return { engine, result: applyGuardrails({ engine, answer: a, model: 'm:1', feasible, facts: f, region: 'us-east-1', traffic }) };
}
const ok = (r: ReturnType<typeof applyGuardrails>): { out: DecideOutput; adjusted: string[] } => {
  if (!r.ok) throw new Error(`expected accepted, got fallback: ${r.reason}`);
  return r;
};

describe('llm settings (function input spec.llm)', () => {
  it('is off by default and on when a host is set', () => {
    expect(llmEnabled(defaultSettings().llm)).toBe(false);
    const s = functionInputSchema.parse({ spec: { llm: { host: 'http://ollama.ollama.svc:11434' } } }).spec.llm;
    expect(llmEnabled(s)).toBe(true);
    expect(s).toMatchObject(LLM_DEFAULTS);
  });
  it('refuses a bad host or bounds with the field named', () => {
    for (const [llm, field] of [
      [{ host: 'ftp://x' }, 'spec.llm.host'],
      [{ host: 'http://user:pw@ollama:11434' }, 'spec.llm.host'],
      [{ host: 'not a url' }, 'spec.llm.host'],
      [{ host: 'http://o:11434', timeoutMs: 10 }, 'spec.llm.timeoutMs'],
      [{ host: 'http://o:11434', retries: 9 }, 'spec.llm.retries'],
      [{ host: 'http://o:11434', model: 'a b' }, 'spec.llm.model'],
    ] as const) {
      const r = functionInputSchema.safeParse({ spec: { llm } });
      expect(r.success, JSON.stringify(llm)).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(field);
    }
  });
  it('the Input CRD declares the same defaults and accepts the same values', () => {
    const crd = readYamlDocs(join(ROOT, 'package', 'input', 'fn.scai.io_inputs.yaml'))[0]!;
    const p = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.llm.properties;
    for (const [k, v] of Object.entries(LLM_DEFAULTS)) expect(p[k].default, k).toBe(v);
    const v = new CrdValidator();
    v.addCrd(crd);
    expect(v.errors({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { llm: { host: 'http://ollama.ollama.svc:11434', model: 'qwen2.5-coder:7b', timeoutMs: 5000 } } })).toEqual([]);
    expect(v.errors({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { llm: { host: 'http://u:p@o:1' } } }).join()).toMatch(/host/);
    expect(v.errors({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { llm: { retries: 9 } } }).join()).toMatch(/retries/);
  });
});

describe('llm answer', () => {
  it('offers only the feasible strategies and the catalog sizes in the JSON schema', () => {
    const s = answerJsonSchema(['vm', 'kubernetes'], 'gcp') as { properties: Record<string, { enum?: unknown[]; properties?: Record<string, { enum?: unknown[] }> }> };
    expect(s.properties.strategy?.enum).toEqual(['vm', 'kubernetes']);
    expect(s.properties.config?.properties?.instanceType?.enum).toEqual(['e2-micro', 'e2-small', 'e2-medium', 'e2-standard-2']);
  });
  it('parses a valid answer and bounds its text', () => {
    const r = parseAnswer(JSON.stringify({ strategy: 'vm', config: { minInstances: 2 }, confidence: 0.7, reasoning: 'x'.repeat(5000), alternatives: [{ strategy: 'kubernetes', reason: 'r' }] }));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.answer.reasoning).toHaveLength(ANSWER_TEXT_MAX);
      expect(r.answer.config.minInstances).toBe(2);
    }
  });
  it('names invalid JSON and schema violations', () => {
    const bad = parseAnswer('{"strategy": "vm", "conf');
    expect(bad).toEqual({ ok: false, problem: expect.stringMatching(/^invalid JSON/) });
    const wrong = parseAnswer(JSON.stringify({ strategy: 'mainframe', confidence: 2, reasoning: 'x' }));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problem).toMatch(/strategy.*confidence|confidence.*strategy/s);
  });
});

describe('llm prompt', () => {
  it('redacts secret-looking text', () => {
    const cases = [
      'gunicorn app --token=abc123secretvalue',
      'API_KEY: "hunter2"',
      'postgres://admin:s3cret@db:5432/app',
      'AKIAABCDEFGHIJKLMNOP',
      'ghp_0123456789abcdefghijABCDEFGHIJ',
      'aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgdG9rZW4xMjM0NTY3',
    ];
    for (const c of cases) expect(redactSecrets(c), c).toMatch(/\[redacted\]/);
    expect(redactSecrets(cases[0]!)).not.toContain('abc123secretvalue');
    expect(redactSecrets('gunicorn app:app --workers 2 (Procfile:1)')).toBe('gunicorn app:app --workers 2 (Procfile:1)');
  });
  it('sends only whitelisted facts: no env var values, URLs or commits; a secret inside a fact is cut', () => {
    const canary = 'CANARY7f3a9c1e5b2d4f60a8b7c6d5e4f3a2b1';
    const a = analysis({
      commit: 'a'.repeat(40),
      envVars: ['DATABASE_URL', 'SECRET_KEY'],
      startCommand: `gunicorn app:app --key=${canary}`,
      evidence: [{ fact: `token ${canary}`, source: 'app.py:3' }],
    });
    const f = facts(a);
    const engine = decide({ facts: f, requested: 'auto', region: 'us-east-1', traffic });
    const input: PromptInput = { analysis: a, intentPrompt: 'Flask API', intent: f.intent, neighbors: [], engine, feasible: engine.candidates.map((c) => c.strategy), budget: f.budget, cloud: 'aws', region: 'us-east-1', caps: { singleInstance: false } };
    const { system, user } = buildMessages(input);
    const all = system + user;
    expect(all).not.toContain(canary);
    expect(all).not.toContain('a'.repeat(40));
    expect(all).not.toContain('DATABASE_URL');
    expect(all).toContain('fastapi');
    expect(user).toContain('"feasibleStrategies"');
  });
});

describe('llm guardrails', () => {
  const web = analysis();
  it('accepts a feasible answer and marks the engine', () => {
    const { result } = guard(facts(web), answer('kubernetes'));
    const { out } = ok(result);
    expect(out.decision.strategy).toBe('kubernetes');
    expect(out.decision.engine).toBe('llm/m:1');
  });
  it('refuses a strategy the feasibility rules exclude', () => {
    const sqlite = analysis({ localState: [{ name: 'SQLite file app.db', source: 'app.py:4' }] });
    const { result } = guard(facts(sqlite), answer('kubernetes'));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^infeasible strategy "kubernetes": cannot work: state on local disk/) });
  });
  it('refuses a denied strategy and one other than the requested', () => {
    expect(guard(facts(web, { policies: ['deny-strategy:kubernetes'] }), answer('kubernetes')).result).toEqual({ ok: false, reason: expect.stringMatching(/denied by policy deny-strategy:kubernetes/) });
    expect(guard(facts(web), answer('kubernetes'), 'vm').result).toEqual({ ok: false, reason: expect.stringMatching(/requests spec.strategy vm/) });
  });
  it('clamps counts to max-replicas, quotas and the allowlist, and types to the catalog', () => {
    const { out, adjusted } = ok(guard(facts(web, { maxReplicas: 3, maxNodes: 2 }), answer('kubernetes', { replicas: 500, nodeCount: 500, instanceType: 'p5.48xlarge', cpu: '64000m' })).result);
    expect(out.decision.config).toMatchObject({ replicas: 3, nodeCount: 2 });
    expect(out.decision.config.instanceType).toMatch(/^t3\./);
    expect(out.decision.config.cpu).not.toBe('64000m');
    expect(adjusted.join('\n')).toMatch(/replicas 500 → 3[\s\S]*nodeCount 500 → 2|nodeCount 500 → 2[\s\S]*replicas 500 → 3/);
    const free = ok(guard(facts(web), answer('vm', { minInstances: 500, maxInstances: 900 })).result);
    expect(free.out.decision.config).toMatchObject({ minInstances: SIZE_ALLOWLIST.instances.max, maxInstances: SIZE_ALLOWLIST.instances.max });
  });
  it('keeps high availability and single-instance state whatever the answer', () => {
    const ha = ok(guard(facts(web, { policies: ['high-availability'] }), answer('vm', { minInstances: 1, maxInstances: 1 })).result);
    expect(ha.out.decision.config.minInstances).toBe(2);
    const sqlite = analysis({ localState: [{ name: 'SQLite file app.db', source: 'app.py:4' }] });
    const one = ok(guard(facts(sqlite), answer('vm', { minInstances: 8, maxInstances: 8 })).result);
    expect(one.out.decision.config).toMatchObject({ minInstances: 1, maxInstances: 1 });
  });
  it('reprices the answer and refuses one over the budget where the engine fits', () => {
    const { result, engine } = guard(facts(web, { budget: 60 }), answer('vm', { instanceType: 't3.large', minInstances: 20, maxInstances: 20 }));
    expect(engine.cost.estimatedMonthly).toBeLessThanOrEqual(60);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^over budget: vm at \$\d+\.\d\d\/month against the \$60\.00 limit/) });
    const cheap = ok(guard(facts(web, { budget: 500 }), answer('vm', { minInstances: 2, maxInstances: 2 })).result);
    expect(cheap.out.cost.estimatedMonthly).toBeGreaterThan(engine.cost.estimatedMonthly);
  });
  it('never claims more confidence than the engine when it disagrees', () => {
    const { engine, result } = guard(facts(web), answer('kubernetes', {}, 1));
    const { out } = ok(result);
    expect(engine.decision.strategy).not.toBe('kubernetes');
    expect(out.decision.confidence).toBeLessThanOrEqual(engine.decision.confidence);
    expect(out.decision.alternatives[0]).toMatchObject({ strategy: engine.decision.strategy, reason: expect.stringMatching(/^the engine's pick/) });
  });
  it('bounds the trace written to status', () => {
    const s = llmStatus({ model: 'm', outcome: 'accepted', engineStrategy: 'vm', reasoning: 'y'.repeat(10_000), adjusted: Array.from({ length: 100 }, (_, i) => `a${i}`) });
    expect(String(s.reasoning).length).toBeLessThanOrEqual(STATUS_TEXT_MAX + 1);
    expect((s.adjusted as string[]).length).toBe(20);
  });
});
