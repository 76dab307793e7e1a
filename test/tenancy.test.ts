// Tenancy in the function: the CloudProvider's ProviderConfig is passed down to the XInfrastructure,
// and a Deployment may only use a CloudProvider of its own namespace (Fatal naming the field, nothing
// composed; a pinned Deployment keeps its resources and their ProviderConfig).
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { runFunction } from '../function/src/handler.js';
import { claim, cloudProvider, countingSource, desiredResources, desiredStatus, NOW, request } from './helpers/fn.js';
import type { LooseObj as Obj } from '../lib/obj.js';

const run = (o: Parameters<typeof request>[0]) => runFunction(request(o), { repos: countingSource(), now: () => NOW });
const infraOf = (rsp: Awaited<ReturnType<typeof run>>['rsp']): Obj | undefined => Object.values(desiredResources(rsp)).find((r) => r.kind === 'XInfrastructure');
const fatals = (rsp: Awaited<ReturnType<typeof run>>['rsp']) => (rsp.results ?? []).filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);

/** The same CloudProvider as its claim in another namespace would be (labels and claimRef of team-b). */
const teamB = (): Obj => {
  const cp = cloudProvider();
  return { ...cp, metadata: { ...cp.metadata, labels: { ...cp.metadata.labels, 'crossplane.io/claim-namespace': 'team-b' } }, spec: { ...cp.spec, claimRef: { ...cp.spec.claimRef, namespace: 'team-b' } } };
};

describe('the CloudProvider ProviderConfig', () => {
  it('a new decision passes the XCloudProvider name down, or status.providerConfigName once written', async () => {
    const cp = cloudProvider();
    const { rsp } = await run({ xr: claimToXr(claim()), provider: cp });
    expect(infraOf(rsp)?.spec.providerConfigName).toBe(cp.metadata.name);
    const named = await run({ xr: claimToXr(claim()), provider: { ...cp, status: { providerConfigName: 'aws-team-a-custom' } } });
    expect(infraOf(named.rsp)?.spec.providerConfigName).toBe('aws-team-a-custom');
  });

  it('a pinned render composes the same ProviderConfig name', async () => {
    const first = await run({ xr: claimToXr(claim()) });
    const status = desiredStatus(first.rsp);
    const again = await run({ xr: claimToXr(claim()), status, observed: desiredResources(first.rsp) });
    expect(again.rsp.conditions?.find((c) => c.type === 'DecisionReady')?.reason).toBe('Pinned');
    expect(infraOf(again.rsp)).toEqual(infraOf(first.rsp));
  });
});

describe('a Deployment uses a CloudProvider of its own namespace only', () => {
  it("another namespace's CloudProvider: Fatal naming spec.cloudProvider, nothing composed", async () => {
    const { rsp } = await run({ xr: claimToXr(claim()), provider: teamB() });
    expect(fatals(rsp)).toEqual([
      'cloudProvider: spec.cloudProvider: CloudProvider "aws-team-a" belongs to namespace team-b, the Deployment to namespace team-a: a Deployment can only use a CloudProvider of its own namespace',
    ]);
    expect(desiredResources(rsp)).toEqual({});
  });

  it('an XDeployment without a claim cannot use a namespaced CloudProvider either', async () => {
    const xr = claimToXr(claim());
    const bare = { ...xr, metadata: { name: xr.metadata?.name }, spec: { ...xr.spec, claimRef: undefined } };
    const { rsp } = await run({ xr: bare });
    expect(fatals(rsp)[0]).toMatch(/^cloudProvider: spec\.cloudProvider: .*belongs to namespace team-a, the Deployment to no namespace/);
  });

  it('pinned, then the CloudProvider found is not its own: the pin and its ProviderConfig are kept, with a Warning', async () => {
    const first = await run({ xr: claimToXr(claim()) });
    const { rsp } = await run({ xr: claimToXr(claim()), status: desiredStatus(first.rsp), observed: desiredResources(first.rsp), provider: teamB() });
    expect(fatals(rsp)).toEqual([]);
    expect(desiredResources(rsp)).toEqual(desiredResources(first.rsp));
    expect((rsp.results ?? []).map((r) => r.message).join('\n')).toMatch(/own namespace; keeping the pinned decision/);
  });
});
