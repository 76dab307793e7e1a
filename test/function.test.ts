// In-process RunFunction through the SDK's FunctionRunner: requirements, decision, pinning and
// every failure case of "never lose resources".
import { FunctionRunner, Severity, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { ENGINE } from '../function/src/decision/decide.js';
import { CrdValidator, readYamlDocs } from './helpers/crd-validate.js';
import { xrdToCrds } from './helpers/xrd-crd.js';
import { runFunction, scaiHandler } from '../function/src/handler.js';
import type { Retriever } from '../function/src/retrieval/retriever.js';
import { claim, cloudProvider, countingSource, desiredResources, desiredStatus, failingSource, NOW, request } from './helpers/fn.js';

import type { LooseObj as Obj } from '../lib/obj.js';

const fatal = (rsp: RunFunctionResponse) => rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL);
const warnings = (rsp: RunFunctionResponse) => rsp.results.filter((r) => r.severity === Severity.SEVERITY_WARNING);
const cond = (rsp: RunFunctionResponse, type: string) => rsp.conditions.find((c) => c.type === type);

async function decideOnce(c = claim(), source = countingSource()) {
  const xr = claimToXr(c);
  const { rsp } = await runFunction(request({ xr }), { repos: source, now: () => NOW });
  return { xr, rsp, status: desiredStatus(rsp), resources: desiredResources(rsp) };
}

describe('RunFunction', () => {
  it('first asks for the CloudProvider as a required resource, by claim labels', async () => {
    const xr = claimToXr(claim());
    const runner = new FunctionRunner(scaiHandler({ repos: countingSource() }));
    const rsp = await runner.RunFunction(request({ xr, provider: 'pending' }));
    expect(rsp.requirements?.resources.cloudprovider).toEqual({
      apiVersion: 'scai.io/v1alpha1',
      kind: 'XCloudProvider',
      matchLabels: { labels: { 'crossplane.io/claim-name': 'aws-team-a', 'crossplane.io/claim-namespace': 'team-a' } },
    });
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
    expect(rsp.results).toEqual([]);
  });

  it('decides, composes one XInfrastructure and writes the decision to status', async () => {
    const { rsp, status, resources } = await decideOnce();
    expect(fatal(rsp)).toEqual([]);
    const names = Object.keys(resources);
    expect(names).toHaveLength(1);
    const infra = resources[names[0] as string] as Obj;
    expect(infra.apiVersion).toBe('scai.io/v1alpha1');
    expect(infra.kind).toBe('XInfrastructure');
    const strategy = status.deployment.strategy;
    expect(names[0]).toBe(`infrastructure-${strategy}-aws`);
    expect(infra.spec.compositionSelector.matchLabels).toEqual({ 'scai.io/strategy': strategy, 'scai.io/cloud': 'aws' });
    expect(infra.spec.config).toEqual(status.deployment.config);
    expect(infra.spec.tags).toMatchObject({ team: 'a', 'scai.io/deployment': 'web', 'scai.io/deployment-uid': expect.any(String) });
    expect(infra.spec.app).toMatchObject({ name: 'web', namespace: 'team-a', repository: 'https://git.example.com/acme/web.git' });
    expect(status.decision).toMatchObject({ decidedAt: NOW, engine: ENGINE, inputsHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(status.analysis).toMatchObject({ framework: 'flask', language: 'python' });
    expect(status.cost.estimatedMonthly).toBeGreaterThan(0);
    expect(status.cost.estimatedMonthly).toBeLessThanOrEqual(300);
    expect(status.phase).toBe('Provisioning');
    expect(status.history).toHaveLength(1);
    expect(cond(rsp, 'DecisionReady')).toMatchObject({ reason: 'Decided' });
    expect(cond(rsp, 'BudgetOK')?.reason).toMatch(/WithinBudget|NearLimit/);
    expect(rsp.meta?.ttl?.seconds).toBe(300);
    expect(rsp.results.find((r) => r.reason === 'Decided')?.message).toContain(strategy);
  });

  it('states the same requirement once the CloudProvider is found, so Crossplane sees them settle', async () => {
    const xr = claimToXr(claim());
    const pending = await runFunction(request({ xr, provider: 'pending' }), { repos: countingSource(), now: () => NOW });
    const found = await runFunction(request({ xr }), { repos: countingSource(), now: () => NOW });
    const missing = await runFunction(request({ xr, provider: null }), { repos: countingSource(), now: () => NOW });
    expect(found.rsp.requirements).toEqual(pending.rsp.requirements);
    expect(missing.rsp.requirements).toEqual(pending.rsp.requirements);
  });

  it('works with Crossplane 1.x extra_resources too', async () => {
    const xr = claimToXr(claim());
    const { rsp } = await runFunction(request({ xr, legacy: true }), { repos: countingSource(), now: () => NOW });
    expect(fatal(rsp)).toEqual([]);
    expect(Object.keys(desiredResources(rsp))).toHaveLength(1);
  });

  it('honours spec.strategy', async () => {
    const { status, resources } = await decideOnce(claim({ strategy: 'kubernetes' }));
    expect(status.deployment).toMatchObject({ strategy: 'kubernetes', confidence: 1 });
    expect(Object.keys(resources)).toEqual(['infrastructure-kubernetes-aws']);
  });

  it('does not duplicate list entries when earlier desired state is present', async () => {
    const first = await decideOnce();
    const xr = first.xr;
    const req = request({ xr, status: first.status });
    req.desired = { composite: { resource: { status: { phase: 'x' } }, connectionDetails: {}, ready: 0 }, resources: {} };
    const { rsp } = await runFunction(req, { repos: countingSource(), now: () => NOW });
    const infra = Object.values(desiredResources(rsp))[0] as Obj;
    expect(infra.spec.policies).toEqual(['require-https']);
    expect(desiredStatus(rsp).history).toHaveLength(1);
  });
});

describe('pinned decisions', () => {
  it('1000 renders of the pinned input give byte-identical output without reading the repository', async () => {
    const first = await decideOnce();
    const source = countingSource();
    const outputs = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const { rsp } = await runFunction(request({ xr: first.xr, status: first.status }), { repos: source, now: () => `2027-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` });
      outputs.add(JSON.stringify(rsp));
    }
    expect(outputs.size).toBe(1);
    expect(source.loads).toBe(0);
    const rsp = JSON.parse([...outputs][0] as string) as RunFunctionResponse;
    expect(desiredResources(rsp)).toEqual(first.resources);
    const { phase, endpoints, ...pinned } = desiredStatus(rsp);
    const { phase: _p, endpoints: _e, ...original } = first.status;
    expect(pinned).toEqual(original);
    expect(cond(rsp, 'DecisionReady')).toMatchObject({ reason: 'Pinned' });
    expect(rsp.results).toEqual([]);
  });

  it('re-decides when a spec field that matters changes, and records history', async () => {
    const first = await decideOnce();
    const other = first.status.deployment.strategy === 'vm' ? 'kubernetes' : 'vm';
    const changed = claimToXr(claim({ strategy: other }));
    const source = countingSource();
    const { rsp } = await runFunction(request({ xr: changed, status: first.status }), { repos: source, now: () => '2026-12-01T00:00:00Z' });
    const status = desiredStatus(rsp);
    expect(source.loads).toBe(1);
    expect(status.deployment.strategy).toBe(other);
    expect(status.decision.inputsHash).not.toBe(first.status.decision.inputsHash);
    expect(status.decision.decidedAt).toBe('2026-12-01T00:00:00Z');
    expect(status.history).toHaveLength(2);
    expect(cond(rsp, 'DecisionReady')?.reason).toBe('Redecided');
  });

  it('a prebuilt spec.image reaches the XInfrastructure; changing it re-decides', async () => {
    const first = await decideOnce();
    const xr = claimToXr(claim({ image: 'ghcr.io/acme/web:1.2.3' }));
    const { rsp } = await runFunction(request({ xr, status: first.status }), { repos: countingSource(), now: () => NOW });
    const [infra] = Object.values(desiredResources(rsp)) as Obj[];
    expect(infra?.spec.app.image).toBe('ghcr.io/acme/web:1.2.3');
    expect(desiredStatus(rsp).decision.inputsHash).not.toBe(first.status.decision.inputsHash);
    expect(first.status.decision.target.image).toBeUndefined();
  });

  it('writes a status the XDeployment CRD keeps whole (nothing the API server would prune)', async () => {
    const validator = new CrdValidator();
    for (const f of ['xdeployments.yaml']) for (const x of readYamlDocs(join(import.meta.dirname, '..', 'apis', f))) for (const c of xrdToCrds(x)) validator.addCrd(c);
    const xr = claimToXr(claim({ image: 'ghcr.io/acme/web:1.2.3' }));
    const { rsp } = await runFunction(request({ xr }), { repos: countingSource(), now: () => NOW });
    const status = desiredStatus(rsp);
    expect(status.decision.target.image).toBe('ghcr.io/acme/web:1.2.3');
    const { claimRef: _c, ...spec } = xr.spec as Record<string, unknown>;
    expect(validator.errors({ apiVersion: 'scai.io/v1alpha1', kind: 'XDeployment', metadata: { name: 'web-x' }, spec, status })).toEqual([]);
  });

  it('a change of secretRef only does not re-decide', async () => {
    const first = await decideOnce();
    const c = claim();
    c.spec.repository.secretRef = { name: 'git-token' };
    const source = countingSource();
    const { rsp } = await runFunction(request({ xr: claimToXr(c), status: first.status }), { repos: source, now: () => NOW });
    expect(source.loads).toBe(0);
    expect(cond(rsp, 'DecisionReady')?.reason).toBe('Pinned');
  });

  it('copies endpoints and readiness of the observed XInfrastructure', async () => {
    const first = await decideOnce();
    const [name, infra] = Object.entries(first.resources)[0] as [string, Obj];
    const observed = { [name]: { ...infra, status: { conditions: [{ type: 'Ready', status: 'True' }], endpoints: [{ name: 'https', url: 'https://web.example.com' }] } } };
    const { rsp } = await runFunction(request({ xr: first.xr, status: first.status, observed }), { repos: countingSource(), now: () => NOW });
    expect(desiredStatus(rsp)).toMatchObject({ phase: 'Ready', endpoints: [{ name: 'https', url: 'https://web.example.com' }] });
    expect(rsp.desired?.resources[name]?.ready).toBe(1);
  });
});

describe('never lose resources', () => {
  /** A pinned deployment whose spec then changes, so the next render must run every stage again. */
  async function pinnedThenChanged(change: Obj = { prompt: 'now with spiky traffic' }) {
    const first = await decideOnce();
    return { first, changedXr: claimToXr(claim(change)) };
  }
  const expectPinnedKept = (rsp: RunFunctionResponse, first: { resources: Record<string, Obj> }, stage: RegExp) => {
    expect(fatal(rsp)).toEqual([]);
    expect(desiredResources(rsp)).toEqual(first.resources);
    expect(warnings(rsp).map((w) => w.message).join('\n')).toMatch(stage);
    expect(cond(rsp, 'DecisionReady')?.status).not.toBe(2 /* True */);
  };

  it('analysis fails: pinned → same resources + Warning; none → Fatal naming the stage', async () => {
    const { first, changedXr } = await pinnedThenChanged();
    const kept = await runFunction(request({ xr: changedXr, status: first.status }), { repos: failingSource, now: () => NOW });
    expectPinnedKept(kept.rsp, first, /analyze failed: cannot fetch/);
    expect(kept.rsp.meta?.ttl?.seconds).toBe(30);
    const none = await runFunction(request({ xr: changedXr }), { repos: failingSource, now: () => NOW });
    expect(fatal(none.rsp)[0]?.message).toMatch(/^analyze: cannot fetch/);
    expect(desiredResources(none.rsp)).toEqual({});
  });

  it('CloudProvider missing: pinned → kept; none → Fatal with the name and namespace', async () => {
    const { first, changedXr } = await pinnedThenChanged();
    // The pinned XInfrastructure is observed (it names the ProviderConfig it keeps using).
    const kept = await runFunction(request({ xr: changedXr, status: first.status, provider: null, observed: first.resources }), { repos: countingSource(), now: () => NOW });
    expectPinnedKept(kept.rsp, first, /CloudProvider "aws-team-a" not found in namespace team-a/);
    const none = await runFunction(request({ xr: changedXr, provider: null }), { repos: countingSource(), now: () => NOW });
    expect(fatal(none.rsp)[0]?.message).toContain('spec.cloudProvider: CloudProvider "aws-team-a" not found in namespace team-a');
  });

  it('while the CloudProvider is being fetched, the pinned resources are still returned', async () => {
    const first = await decideOnce();
    const { rsp } = await runFunction(request({ xr: first.xr, status: first.status, provider: 'pending', observed: first.resources }), { repos: countingSource(), now: () => NOW });
    expect(desiredResources(rsp)).toEqual(first.resources);
    expect(rsp.requirements?.resources.cloudprovider).toBeDefined();
  });

  it('invalid function input: pinned → kept; none → Fatal naming the field', async () => {
    const { first, changedXr } = await pinnedThenChanged();
    const input = { apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { ttlSeconds: -5 } };
    const kept = await runFunction(request({ xr: changedXr, status: first.status, input }), { repos: countingSource(), now: () => NOW });
    expectPinnedKept(kept.rsp, first, /input\.spec\.ttlSeconds/);
    const none = await runFunction(request({ xr: changedXr, input }), { repos: countingSource(), now: () => NOW });
    expect(fatal(none.rsp)[0]?.message).toContain('input.spec.ttlSeconds');
  });

  it('invalid CloudProvider spec: Fatal naming the field', async () => {
    const xr = claimToXr(claim());
    const bad = cloudProvider({ type: 'azure' });
    const { rsp } = await runFunction(request({ xr, provider: bad }), { repos: countingSource(), now: () => NOW });
    expect(fatal(rsp)[0]?.message).toContain('CloudProvider aws-team-a spec.type');
  });

  it('decision refused by policy: pinned → kept', async () => {
    const { first, changedXr } = await pinnedThenChanged({ strategy: 'vm', policies: ['high-availability', 'max-replicas:1'] });
    const kept = await runFunction(request({ xr: changedXr, status: first.status }), { repos: countingSource(), now: () => NOW });
    expectPinnedKept(kept.rsp, first, /policy failed: high availability needs at least 2 instances/);
  });

  it('retrieval timing out does not fail the render: decision without neighbours + Warning', async () => {
    const slow: Retriever = { name: 'slow-rag', retrieve: () => new Promise((r) => setTimeout(() => r({ neighbors: [], avoid: [] }), 2000)) };
    const xr = claimToXr(claim());
    const t0 = Date.now();
    const { rsp } = await runFunction(request({ xr, input: { spec: { retrieval: { timeoutMs: 100 } } } }), { repos: countingSource(), retriever: slow, now: () => NOW });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(fatal(rsp)).toEqual([]);
    expect(Object.keys(desiredResources(rsp))).toHaveLength(1);
    expect(warnings(rsp).find((w) => w.reason === 'RetrievalUnavailable')?.message).toContain('slow-rag timed out after 100 ms');
  });

  it('retrieval throwing is the same: Warning, decision goes on', async () => {
    const broken: Retriever = { name: 'rag', retrieve: async () => { throw new Error('connection refused'); } };
    const { rsp } = await runFunction(request({ xr: claimToXr(claim()) }), { repos: countingSource(), retriever: broken, now: () => NOW });
    expect(fatal(rsp)).toEqual([]);
    expect(warnings(rsp)[0]?.message).toContain('connection refused');
  });

  it('hard budget exceeded with no pin: nothing composed, status says why', async () => {
    const c = claim({ strategy: 'kubernetes', budget: { maxMonthlyCost: 50, enforcementMode: 'hard' }, prompt: 'Flask API' });
    const { rsp } = await runFunction(request({ xr: claimToXr(c) }), { repos: countingSource(), now: () => NOW });
    expect(fatal(rsp)).toEqual([]);
    expect(desiredResources(rsp)).toEqual({});
    expect(desiredStatus(rsp).phase).toBe('BudgetExceeded');
    expect(cond(rsp, 'BudgetOK')).toMatchObject({ reason: 'OverBudget' });
    expect(warnings(rsp)[0]?.message).toMatch(/hard budget: estimated \$\d+\.\d\d\/month exceeds the \$50.00 limit/);
  });

  it('hard budget exceeded on a change: keeps the pinned decision', async () => {
    const first = await decideOnce(claim({ budget: { maxMonthlyCost: 100, enforcementMode: 'hard' } }));
    const changed = claimToXr(claim({ strategy: 'kubernetes', budget: { maxMonthlyCost: 100, enforcementMode: 'hard' } }));
    const { rsp } = await runFunction(request({ xr: changed, status: first.status }), { repos: countingSource(), now: () => NOW });
    expect(desiredResources(rsp)).toEqual(first.resources);
    expect(cond(rsp, 'DecisionReady')).toMatchObject({ reason: 'BudgetExceeded' });
    expect(desiredStatus(rsp).deployment).toEqual(first.status.deployment);
  });

  it('soft budget exceeded: composes with a Warning and BudgetOK=False', async () => {
    const c = claim({ strategy: 'kubernetes', budget: { maxMonthlyCost: 50, enforcementMode: 'soft' }, prompt: 'Flask API' });
    const { rsp } = await runFunction(request({ xr: claimToXr(c) }), { repos: countingSource(), now: () => NOW });
    expect(Object.keys(desiredResources(rsp))).toEqual(['infrastructure-kubernetes-aws']);
    expect(cond(rsp, 'BudgetOK')).toMatchObject({ status: 3 /* False */, reason: 'OverBudget' });
    expect(warnings(rsp).map((w) => w.reason)).toContain('OverBudget');
  });

  it('a corrupted pin with existing resources never turns into deletion', async () => {
    const first = await decideOnce();
    const corrupted = { ...first.status, decision: { inputsHash: 42 } };
    const c = claim({ strategy: 'kubernetes', budget: { maxMonthlyCost: 50, enforcementMode: 'hard' } });
    const { rsp } = await runFunction(request({ xr: claimToXr(c), status: corrupted, observed: first.resources }), { repos: countingSource(), now: () => NOW });
    // One rule with every render without a trusted pin (keepObserved): refused, the observed resource kept and said so.
    expect(fatal(rsp)).toEqual([]);
    expect(desiredResources(rsp)).toEqual(Object.fromEntries(Object.entries(first.resources).map(([k, r]) => [k, { apiVersion: r.apiVersion, kind: r.kind, metadata: expect.any(Object), spec: r.spec }])));
    expect(warnings(rsp).map((w) => w.reason)).toEqual(['PinUnreadable', 'BudgetExceeded', 'KeptObservedResource']);
    expect(warnings(rsp)[0]?.message).toMatch(/status.decision is unreadable/);
    expect(desiredStatus(rsp).phase).toBe('BudgetExceeded');
  });
});
