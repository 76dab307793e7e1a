import { describe, expect, it } from 'vitest';
import type { BudgetLimit } from '../function/src/decision/budget.js';
import { decide, DecisionError } from '../function/src/decision/decide.js';
import { appWeight, type DecisionFacts } from '../function/src/decision/facts.js';
import { parseIntent } from '../function/src/decision/intent.js';
import { policyViolations } from '../function/src/decision/policy.js';
import type { Analysis } from '../function/src/types.js';
import { analysis, deps } from './helpers/analysis.js';

const traffic = { requestsPerMonth: 1_000_000, avgDurationMs: 200 };

function facts(a: Analysis, prompt = '', over: Omit<Partial<DecisionFacts>, 'budget'> & { budget?: number } = {}): DecisionFacts {
  const { budget, ...rest } = over;
  const limit: BudgetLimit = { ...(budget !== undefined ? { limit: budget, source: 'spec.budget.maxMonthlyCost' } : {}), mode: 'soft', threshold: 0.8 };
  return { analysis: a, intent: parseIntent(prompt), cloud: 'aws', policies: [], neighbors: [], weight: appWeight(a), budget: limit, ...rest };
}
/** The analysis of an app that ships a Lambda adapter (mangum in requirements.txt). */
const withMangum = (a: Analysis): Analysis => ({ ...a, dependencies: [...a.dependencies, { name: 'mangum' }], serverlessAdapter: { name: 'mangum', source: 'requirements.txt:3' } });
const run = (f: DecisionFacts, requested: 'auto' | 'vm' | 'kubernetes' | 'serverless' = 'auto') =>
  decide({ facts: f, requested, region: 'us-east-1', traffic });

describe('decide', () => {
  it('puts a small stateless FastAPI service with a Lambda adapter and spiky traffic on serverless', () => {
    const out = run(facts(withMangum(analysis()), 'FastAPI service with spiky traffic'));
    expect(out.decision.strategy).toBe('serverless');
    expect(out.decision.reason).toContain('mangum (requirements.txt:3)');
    expect(out.decision.reason).toContain('spiky traffic');
    expect(out.decision.config.memoryMb).toBe(512);
    expect(out.decision.alternatives.map((a) => a.strategy).sort()).toEqual(['kubernetes', 'vm']);
    expect(out.cost.estimatedMonthly).toBeLessThan(5);
  });

  it('keeps a Django monolith with background jobs off serverless, on a VM', () => {
    const a = analysis({ framework: 'django', dependencies: deps(12), stateful: ['postgres'], backgroundJobs: ['celery'] });
    const out = run(facts(a, 'company intranet'));
    expect(out.decision.strategy).toBe('vm');
    expect(out.decision.config.instanceType).toBe('t3.small');
    const serverless = out.decision.alternatives.find((x) => x.strategy === 'serverless');
    expect(serverless?.reason).toContain('background jobs (celery)');
  });

  it('does not give every repository kubernetes (v1 did)', () => {
    const strategies = new Set(
      [
        withMangum(analysis()),
        analysis({ framework: 'django', dependencies: deps(10) }),
        analysis({ framework: 'express', language: 'node', dependencies: deps(8) }),
        analysis({ kind: 'worker', framework: null, backgroundJobs: ['celery'] }),
      ].map((a) => run(facts(a)).decision.strategy),
    );
    expect(strategies.size).toBeGreaterThan(1);
    expect(strategies.has('kubernetes')).toBe(false);
  });

  it('chooses kubernetes for a heavy, highly available app with room in the budget', () => {
    const a = analysis({ framework: 'express', language: 'node', dependencies: deps(60), stateful: ['postgres', 'redis'], backgroundJobs: ['bullmq'], hasDockerfile: true, hasCompose: true });
    const out = run(facts(a, 'highly available, high traffic', { budget: 1000 }));
    expect(out.decision.strategy).toBe('kubernetes');
    expect(out.decision.config.nodeCount).toBe(3);
    expect(out.decision.config.replicas).toBe(4);
    expect(out.decision.config.instanceType).toBe('t3.large');
  });

  it('drops strategies over budget when one fits, and says so', () => {
    const a = analysis({ framework: 'express', language: 'node', dependencies: deps(60), stateful: ['postgres', 'redis'], hasDockerfile: true, hasCompose: true, serverlessAdapter: { name: 'serverless-http', source: 'package.json:12' } });
    const out = run(facts(a, 'highly available', { budget: 60 }));
    expect(out.decision.strategy).not.toBe('kubernetes');
    expect(out.cost.estimatedMonthly).toBeLessThanOrEqual(60);
    expect(out.decision.alternatives.find((x) => x.strategy === 'kubernetes')?.reason).toMatch(/over budget|control plane/);
  });

  it('honours an explicit spec.strategy with confidence 1', () => {
    const out = run(facts(analysis(), 'spiky'), 'kubernetes');
    expect(out.decision.strategy).toBe('kubernetes');
    expect(out.decision.confidence).toBe(1);
    expect(out.decision.reason).toContain('requested by spec.strategy');
  });

  it('refuses a strategy the policies deny, naming the field', () => {
    const f = facts(analysis(), '', { policies: ['deny-strategy:serverless'] });
    expect(() => run(f, 'serverless')).toThrow(DecisionError);
    expect(() => run(f, 'serverless')).toThrow(/spec.strategy/);
    const auto = run(facts(analysis(), 'spiky traffic', { policies: ['deny-strategy:serverless'] }));
    expect(auto.decision.strategy).not.toBe('serverless');
    expect(auto.decision.alternatives).toContainEqual({ strategy: 'serverless', reason: 'denied by policy deny-strategy:serverless' });
  });

  it('refuses a library', () => {
    expect(() => run(facts(analysis({ kind: 'library', framework: null })))).toThrow(/library/);
  });

  it('sizes HA VMs to two instances and caps them with max-replicas', () => {
    const a = analysis({ framework: 'django', dependencies: deps(10) });
    const ha = run(facts(a, 'highly available'), 'vm');
    expect(ha.decision.config).toMatchObject({ minInstances: 2, maxInstances: 4, highAvailability: true });
    const capped = run(facts(a, 'highly available', { maxReplicas: 1 }), 'vm');
    expect(capped.decision.config.minInstances).toBe(1);
    expect(policyViolations(capped.decision, [])).toHaveLength(1);
  });

  it('is deterministic', () => {
    const f = facts(analysis({ dependencies: deps(20) }), 'highly available, under $300/month', { budget: 300 });
    expect(JSON.stringify(run(f))).toBe(JSON.stringify(run(f)));
  });

  it('lets successful neighbours pull the decision toward their strategy', () => {
    const a = analysis({ framework: 'flask', dependencies: deps(5) });
    const without = run(facts(a));
    const neighbors = ['a', 'b', 'c'].map((n) => ({ name: n, similarity: 0.9, strategy: 'kubernetes' as const, outcome: 'success' as const, feedback: 1 }));
    const withN = run(facts(a, '', { neighbors, budget: 1000 }));
    expect(without.decision.strategy).not.toBe('kubernetes');
    expect(withN.decision.strategy).toBe('kubernetes');
    expect(withN.decision.reason).toContain('3 similar deployment(s) succeeded');
  });
});
