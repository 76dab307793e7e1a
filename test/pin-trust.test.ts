// A pin is trusted only when its digest matches what it composes, and nothing observed is dropped
// for an untrusted one (issue: "Nothing lost, nothing replaced by accident", items 3 and 4).
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { runFunction } from '../function/src/handler.js';
import type { LooseObj as Obj } from '../lib/obj.js';
import { claim, countingSource, desiredResources, desiredStatus, NOW, request } from './helpers/fn.js';

async function render(xr: Obj, status?: Obj, observed?: Record<string, Obj>) {
  const { rsp } = await runFunction(request({ xr, ...(status ? { status } : {}), ...(observed ? { observed } : {}) }), { repos: countingSource(), now: () => NOW });
  return { rsp, status: desiredStatus(rsp), resources: desiredResources(rsp), reasons: rsp.results.map((r) => r.reason) };
}

/** The composed XInfrastructure as Crossplane would observe it after applying the first render. */
const asObserved = (resources: Record<string, Obj>): Record<string, Obj> =>
  Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, { ...v, metadata: { ...v.metadata, name: `web-x-${k}` }, status: { conditions: [] } }]));

describe('pinned decisions are verified', () => {
  it('an edited status.deployment.strategy is not trusted: decided again, the observed resource kept, a Warning says why', async () => {
    const xr = claimToXr(claim({ strategy: 'vm' }));
    const first = await render(xr);
    const observed = asObserved(first.resources);
    const edited = structuredClone(first.status);
    edited.deployment.strategy = 'kubernetes';
    const again = await render(xr, edited, observed);
    expect(again.reasons).toContain('PinUnreadable');
    expect(again.rsp.results.find((r) => r.reason === 'PinUnreadable')?.message).toMatch(/digest does not match/);
    for (const name of Object.keys(observed)) expect(again.resources[name], name).toBeDefined();
  });

  it('a pin verified on an earlier render is verified again: the same XR pinned, then edited, then as it was', async () => {
    const xr = claimToXr(claim({ strategy: 'vm' }));
    const first = await render(xr);
    const observed = asObserved(first.resources);
    for (let i = 0; i < 3; i++) expect((await render(xr, first.status, observed)).reasons).not.toContain('PinUnreadable');
    const edited = structuredClone(first.status);
    edited.decision.target.cloud = 'gcp';
    expect((await render(xr, edited, observed)).reasons).toContain('PinUnreadable');
    const again = await render(xr, first.status, observed);
    expect(again.reasons).not.toContain('PinUnreadable');
    expect(again.status.decision.inputsHash).toBe(first.status.decision.inputsHash);
  });

  it('an edited config with an edited estimate does not compose 500 instances under a hard budget with BudgetOK=True', async () => {
    const c = claim({ strategy: 'vm', budget: { maxMonthlyCost: 50, enforcementMode: 'hard' } });
    const xr = claimToXr(c);
    const first = await render(xr);
    const edited = structuredClone(first.status);
    edited.deployment.config.minInstances = 500;
    edited.deployment.config.maxInstances = 500;
    edited.cost.estimatedMonthly = 5;
    const again = await render(xr, edited, asObserved(first.resources));
    const infra = Object.values(again.resources)[0]!;
    expect(infra.spec.config.minInstances).not.toBe(500);
    expect(again.reasons).toContain('PinUnreadable');
  });

  it('a lost status with an observed resource of another strategy keeps it (no silent replacement)', async () => {
    const xr = claimToXr(claim({ strategy: 'vm' }));
    const first = await render(xr);
    const observed = asObserved(first.resources);
    const [name] = Object.keys(observed);
    // The claim now asks for kubernetes, but the status (and so the pin) is gone.
    const again = await render(claimToXr(claim({ strategy: 'kubernetes' })), {}, observed);
    expect(Object.keys(again.resources)).toContain(name);
    expect(Object.keys(again.resources)).toContain('infrastructure-kubernetes-aws');
    expect(again.rsp.results.find((r) => r.reason === 'KeptObservedResource')?.message).toMatch(/kubectl delete xinfrastructure web-x-infrastructure-vm-aws/);
  });

  it('a trusted pin re-checks its budget against its own config, priced again', async () => {
    const xr = claimToXr(claim({ strategy: 'vm', budget: { maxMonthlyCost: 50, enforcementMode: 'soft' } }));
    const first = await render(xr);
    const withLowEstimate = structuredClone(first.status);
    withLowEstimate.cost.estimatedMonthly = 1; // not part of the digest: priced again anyway
    const again = await render(xr, withLowEstimate, asObserved(first.resources));
    const budgetOk = again.rsp.conditions.find((c) => c.type === 'BudgetOK');
    expect(budgetOk?.message).toContain(`$${first.status.cost.estimatedMonthly.toFixed(2)}`);
  });
});

describe('status size is bounded', () => {
  it('cuts every list and string of the analysis summary and says what was cut', async () => {
    const { analysisSummary, STATUS_LIST_MAX, STATUS_TEXT_MAX } = await import('../function/src/pipeline/status.js');
    const { analysis } = await import('./helpers/analysis.js');
    const long = 'x'.repeat(100_000);
    const a = analysis({
      startCommand: long,
      composeServices: Array.from({ length: 5000 }, (_, i) => ({ name: `svc-${i}-${long.slice(0, 1000)}`, image: long })),
      serverless: { platform: 'serverless-framework', functions: Array.from({ length: 5000 }, (_, i) => `fn-${i}`) },
      services: Array.from({ length: 3000 }, (_, i) => ({ name: `s${i}`, source: long })),
      evidence: Array.from({ length: 10_000 }, (_, i) => ({ fact: `fact ${i} ${long}`, source: 'x' })),
    });
    const summary = analysisSummary(a);
    const size = JSON.stringify(summary).length;
    expect(size).toBeLessThan(200_000); // the unbounded summary was > 500 MB of text here
    expect((summary.startCommand as string).length).toBe(STATUS_TEXT_MAX + 1);
    expect(summary.composeServices).toHaveLength(STATUS_LIST_MAX);
    expect(summary.truncated).toEqual(expect.arrayContaining([`composeServices: ${5000 - STATUS_LIST_MAX} more`, `serverless.functions: ${5000 - STATUS_LIST_MAX} more`, 'evidence: 9975 more']));
  });
  it('composes no start command or health path longer than COMPOSED_TEXT_MAX, and says so', async () => {
    const { boundForComposition, COMPOSED_TEXT_MAX } = await import('../function/src/pipeline/analyse.js');
    const { analysis } = await import('./helpers/analysis.js');
    const command = `gunicorn app:app ${'--x '.repeat(100_000)}`;
    const bounded = boundForComposition(analysis({ startCommand: command, healthCheckPath: '/healthz' }));
    expect(bounded.analysis.startCommand).toBeUndefined();
    expect(bounded.analysis.healthCheckPath).toBe('/healthz');
    expect(bounded.results).toEqual([{ severity: 'warning', reason: 'AnalysisCut', message: `analysis.startCommand: ${command.length} characters from the repository, over ${COMPOSED_TEXT_MAX}; not used (set it in a Dockerfile or shorten it)` }]);
    // Through the pipeline: a Procfile with a 400 KB command composes an XInfrastructure of a few KB.
    const files = new Map([['requirements.txt', 'flask\n'], ['app.py', 'from flask import Flask\napp = Flask(__name__)\n'], ['Procfile', `web: ${command}\n`]]);
    const { rsp } = await runFunction(request({ xr: claimToXr(claim()) }), { repos: { load: async () => ({ files }) }, now: () => NOW });
    expect(JSON.stringify(rsp.desired?.resources).length).toBeLessThan(10_000);
    expect(JSON.stringify(rsp.desired?.composite).length).toBeLessThan(50_000);
    expect(rsp.results.map((r) => r.message)).toContainEqual(expect.stringMatching(/^analysis\.startCommand: \d{6} characters from the repository, over 4096; not used/));
  });
});
