// e2e: every example claim through the REAL two-stage `crossplane render` (crossplane CLI v2.1.3,
// function-scai from dist/, real function-auto-ready v0.7.0), run on the example's folder
// examples/render/<claim>/ the way README "Render locally" documents it:
//   crossplane render xr.yaml composition.yaml functions.yaml --required-resources required-resources.yaml -r
//   crossplane render infrastructure/xr.yaml infrastructure/composition.yaml functions.yaml -r
// with functions.yaml = examples/functions.yaml, each Development target moved to the port this run
// started the function on (concurrent runs must not collide on the documented ports). The renders
// that follow feed back observed state (pin, composed resources Ready) through temporary files.
// The function-kcl step is served by the function-kcl STAND-IN (.tools/bin/function-kcl-standin:
// function-kcl v0.12.2's contract over the real KCL engine, kcl-lib 0.12.3) because the real
// function-kcl is not served by the Go proxy here. Needs `bash scripts/install-tools.sh` and `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrdValidator, SHARED_CRDS } from '../helpers/crd-validate.js';
import { CLOUDPROVIDER_COMPOSITION } from '../../scripts/build-compositions.js';
import {
  CLAIMS_DIR,
  crossplaneRender,
  renderPipeline,
  composed,
  exampleContents,
  exampleFiles,
  exampleFunctions,
  exampleNames,
  EXAMPLES_DIR,
  infraCompositions,
  isXr,
  loadClaim,
  NOTHING_OBSERVED_NOTE,
  OBSERVED_READY_NOTE,
  renderConverged,
  ROOT,
  resourceNameOf,
  selectCompositions,
  simulateObserved,
  staleExampleFiles,
  startFunctions,
  yamlDocs,
  type FunctionServers,
} from '../../scripts/render.js';

import type { LooseObj as Obj } from '../../lib/obj.js';
import { selectorProblems } from '../helpers/selectors.js';
import { endpointProblems, identityProblems, nameProblems, publicIpv4s, startupScriptProblems } from '../helpers/deployability.js';
import { AWS_LB_PUBLIC_IPV4S } from '../../function/src/cost/estimate.js';
import { HOURS_PER_MONTH } from '../../function/src/cost/prices.js';

const claimFiles = readdirSync(CLAIMS_DIR).filter((f) => f.endsWith('.yaml')).sort();

const crds = new CrdValidator();
// Composed objects: the providers' kinds, and Crossplane's own (Usage, for deletion order).
for (const d of ['provider-upjet-aws', 'provider-upjet-gcp', 'provider-kubernetes', 'crossplane-v2.1.8']) crds.addDir(join(SHARED_CRDS, d));
const crossplaneCrds = new CrdValidator().addDir(join(SHARED_CRDS, 'crossplane-v2.1.8')).addDir(join(SHARED_CRDS, 'function-kcl'));

// Expected outcome per claim: which composition, and whether something is composed at all.
const EXPECT: Record<string, { composition?: string; refused?: boolean }> = {
  'flask-app.yaml': { composition: 'scai-serverless-aws' },
  'vm-aws-express.yaml': { composition: 'scai-vm-aws' },
  'vm-aws-single.yaml': { composition: 'scai-vm-aws' },
  'kubernetes-aws-flask.yaml': { composition: 'scai-kubernetes-aws' },
  'vm-gcp-express.yaml': { composition: 'scai-vm-gcp' },
  'kubernetes-gcp-flask.yaml': { composition: 'scai-kubernetes-gcp' },
  'serverless-gcp-express.yaml': { composition: 'scai-serverless-gcp' },
  'hard-budget-refusal.yaml': { refused: true },
};
// Platform settings (KCLInput spec.params) as a platform team sets them: every claim is also rendered
// with them, which exercises the DNS zones (certificate validation, app records), alert e-mail.
const PLATFORM = { awsHostedZoneId: 'Z0123456789ABCDEFGHIJ', gcpDnsZone: 'apps-example-com', alertEmail: 'oncall@example.com', awsSubnetAccessLabel: 'scai.io/subnet-access' };
/** lib.k DEFAULTS awsSubnetAccessLabel: the label telling the platform's public subnets from its private ones. */
const SUBNET_ACCESS_LABEL = 'access';
/** The claim renamed to 57 characters (its XR's name, <claim>-<5>, then has Kubernetes' longest, 63), as a team may name it. */
const longNamed = (c: ReturnType<typeof loadClaim>): ReturnType<typeof loadClaim> => {
  const name = `${c.xr.spec.claimRef.name}-of-the-team-that-names-things-at-great-length`.padEnd(57, 'x').slice(0, 57);
  const labels = { ...c.xr.metadata.labels, 'crossplane.io/claim-name': name };
  return { ...c, xr: { ...c.xr, metadata: { ...c.xr.metadata, name: `${name}-0a1b2`, labels }, spec: { ...c.xr.spec, claimRef: { ...c.xr.spec.claimRef, name } } } };
};
/** The platform setting require-https needs on a cloud to validate a certificate (lib.k DEFAULTS). */
const ZONE_SETTING = { aws: 'awsHostedZoneId', gcp: 'gcpDnsZone' } as const;

let servers: FunctionServers;
let dir: string;
const times: Array<{ claim: string; stage1Ms: number[]; stage2Ms: number[] }> = [];
const t0 = performance.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scai-e2e-'));
  servers = await startFunctions(dir);
});

afterAll(async () => {
  await servers?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  const all1 = times.flatMap((t) => t.stage1Ms);
  const all2 = times.flatMap((t) => t.stage2Ms).filter((x) => x > 0);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const lines = [
    `e2e render timings (crossplane render wall time per stage; stage 1 = function-scai + function-auto-ready, stage 2 = function-kcl stand-in + function-auto-ready)`,
    ...times.map((t) => `  ${t.claim.padEnd(30)} stage1 ${t.stage1Ms.map((x) => x.toFixed(0)).join('/')} ms   stage2 ${t.stage2Ms.map((x) => x.toFixed(0)).join('/')} ms`),
    `  median stage1 ${med(all1).toFixed(0)} ms (first decision ${times.map((t) => t.stage1Ms[0]!.toFixed(0)).join(', ')}), median stage2 ${med(all2).toFixed(0)} ms; file wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
});

describe('examples', () => {
  it('one folder examples/render/<name>/ per claim examples/claims/<name>.yaml, nothing else', () => {
    expect(readdirSync(EXAMPLES_DIR).sort()).toEqual(exampleNames());
    expect(exampleNames().map((n) => `${n}.yaml`)).toEqual(claimFiles);
  });

  it('functions.yaml runs every function as a local process; this run changed only the targets', () => {
    const documented = exampleFunctions();
    expect(documented.map((f) => f.metadata.name).sort()).toEqual(['function-auto-ready', 'function-kcl', 'function-scai']);
    const target = 'render.crossplane.io/runtime-development-target';
    const drop = (fs: Obj[]) => fs.map((f) => ({ ...f, metadata: { ...f.metadata, annotations: { ...f.metadata.annotations, [target]: undefined } } }));
    const used = yamlDocs(readFileSync(servers.functionsFile, 'utf8'));
    expect(drop(used)).toEqual(drop(documented));
    for (const f of used) expect(f.metadata.annotations[target]).toBe(`127.0.0.1:${servers.ports[f.metadata.name as keyof FunctionServers['ports']]}`);
  });
});

describe('npm run render', () => {
  // scripts/render.ts as the README documents it, in both modes, on one example claim.
  const run = (args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'scripts/render.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  const readyOf = (docs: Obj[], kind: string) => docs.find((d) => isXr(d, kind))?.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.status;
  it('marks nothing Ready unless --observed-ready, and says which it did on its first line', () => {
    const plain = run(['examples/claims/serverless-gcp-express.yaml']);
    expect(plain.split('\n')[0]).toBe(NOTHING_OBSERVED_NOTE);
    const plainDocs = yamlDocs(plain);
    expect(plainDocs.filter((d) => (d.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True'))).toEqual([]);
    const observed = run(['examples/claims/serverless-gcp-express.yaml', '--observed-ready']);
    const first = observed.split('\n')[0]!;
    expect([first.startsWith(OBSERVED_READY_NOTE), first]).toEqual([true, expect.stringMatching(/ \(\d+ stage-2 renders until nothing changed\)$/)]);
    const [stage1, stage2] = observed.split(/^---\n# stage 2:.*$/m);
    expect([readyOf(yamlDocs(stage1!), 'XDeployment'), readyOf(yamlDocs(stage2!), 'XInfrastructure')]).toEqual(['True', 'True']);
  }, 300_000);
});

describe('generated Compositions', () => {
  it('one per strategy x cloud, each selected by exactly its labels, valid against Crossplane 2.1.8 and the KCLInput CRD', () => {
    const comps = infraCompositions();
    expect(comps.map((c) => c.metadata.name).sort()).toEqual(
      ['scai-kubernetes-aws', 'scai-kubernetes-gcp', 'scai-serverless-aws', 'scai-serverless-gcp', 'scai-vm-aws', 'scai-vm-gcp'],
    );
    for (const c of comps) {
      expect([c.metadata.name, crossplaneCrds.errors(c)]).toEqual([c.metadata.name, []]);
      expect(c.spec.mode).toBe('Pipeline');
      expect(c.spec.compositeTypeRef).toEqual({ apiVersion: 'scai.io/v1alpha1', kind: 'XInfrastructure' });
      expect(c.spec.pipeline.map((s: Obj) => s.functionRef.name)).toEqual(['function-kcl', 'function-auto-ready']);
      expect(crossplaneCrds.errors(c.spec.pipeline[0].input)).toEqual([]);
      const { strategy, cloud } = { strategy: c.metadata.labels['scai.io/strategy'], cloud: c.metadata.labels['scai.io/cloud'] };
      expect(c.metadata.name).toBe(`scai-${strategy}-${cloud}`);
      const sel = selectCompositions({ spec: { compositionSelector: { matchLabels: { 'scai.io/strategy': strategy, 'scai.io/cloud': cloud } } } }, comps);
      expect(sel.map((x) => x.metadata.name)).toEqual([c.metadata.name]);
    }
  });
});

describe('the XCloudProvider Composition', () => {
  it("is the XRD's defaultCompositionRef, valid against Crossplane 2.1.8 and the KCLInput CRD", () => {
    const [c] = yamlDocs(readFileSync(CLOUDPROVIDER_COMPOSITION, 'utf8'));
    expect(crossplaneCrds.errors(c!)).toEqual([]);
    expect(crossplaneCrds.errors(c!.spec.pipeline[0].input)).toEqual([]);
    expect(c!.spec.compositeTypeRef).toEqual({ apiVersion: 'scai.io/v1alpha1', kind: 'XCloudProvider' });
    const [xrd] = yamlDocs(readFileSync(join(CLAIMS_DIR, '..', '..', 'apis', 'xcloudproviders.yaml'), 'utf8'));
    expect(xrd!.spec.defaultCompositionRef.name).toBe(c!.metadata.name);
  });
});

describe.each(claimFiles)('claim %s (real crossplane render; function-kcl = stand-in)', (file) => {
  const want = EXPECT[file];
  const name = file.replace(/\.yaml$/, '');
  const ex = exampleFiles(name);
  const claim = loadClaim(join(CLAIMS_DIR, file));
  let r: Awaited<ReturnType<typeof renderConverged>>;
  // The same claim under a long name (names within provider limits whatever the claim's), with the
  // platform's settings in the selected Composition.
  let rp: Awaited<ReturnType<typeof renderConverged>>;
  const both = () => [['default settings', r, false], ['platform settings', rp, true]] as const;
  beforeAll(async () => {
    rp = await renderConverged(longNamed(claim), servers, dir, undefined, PLATFORM);
    r = await renderConverged(claim, servers, dir, ex);
    const runs = [r.first, r.second, r.third, r.ready].filter((x): x is NonNullable<typeof x> => !!x);
    times.push({ claim: file, stage1Ms: runs.map((x) => x.times.stage1Ms), stage2Ms: runs.map((x) => x.times.stage2Ms) });
  });

  it('is listed in the expectations of this test', () => expect(want).toBeDefined());

  it(`examples/render/${name}/ holds what a bare crossplane render needs, up to date (npm run render -- --write-examples)`, () => {
    expect(staleExampleFiles(name, exampleContents(name, claim, r.first.stage1))).toEqual([]);
    expect(r.first.stale).toEqual([]);
  });

  it('the first render is the bare `crossplane render` of the example folder, both stages', () => {
    expect(r.first.commands[0]).toEqual(['render', ex.xr, ex.composition, servers.functionsFile, '--required-resources', ex.required, '-r']);
    if (want?.refused) expect(r.first.commands).toHaveLength(1);
    else expect(r.first.commands[1]).toEqual(['render', ex.infra.xr, ex.infra.composition, servers.functionsFile, '-r']);
  });

  if (want?.refused) {
    it('composes nothing and reports BudgetExceeded (hard budget)', () => {
      const xr = r.first.stage1.find((d) => isXr(d, 'XDeployment'))!;
      expect(xr.status.phase).toBe('BudgetExceeded');
      expect(r.first.stage1.filter((d) => d.kind === 'XInfrastructure')).toEqual([]);
      expect(xr.status.conditions.find((c: Obj) => c.type === 'BudgetOK')?.status).toBe('False');
    });
    return;
  }

  it('stage 1 composes one XInfrastructure whose labels select exactly the expected Composition', () => {
    expect(r.first.infra).toBeDefined();
    expect(r.first.compositions.map((c) => c.metadata.name)).toEqual([want!.composition]);
    const infra = r.first.infra!;
    expect(infra.metadata.labels['scai.io/strategy']).toBe(infra.spec.strategy);
    expect(infra.metadata.labels['scai.io/cloud']).toBe(infra.spec.cloud);
  });

  it('every object rendered by stage 2 validates against the provider CRDs (schema + CEL, no unknown fields)', () => {
    for (const run of [r.first, r.second!, r.ready!, rp.first, rp.second!, rp.ready!]) {
      const objs = composed(run.stage2);
      expect(objs.length).toBeGreaterThan(0);
      for (const o of objs) expect([resourceNameOf(o), crds.errors(o)]).toEqual([resourceNameOf(o), []]);
    }
  });

  it("every composed cloud resource names the CloudProvider's ProviderConfig; provider-kubernetes Objects keep their own", () => {
    const pc = r.first.infra!.spec.providerConfigName;
    expect(pc).toBe(claim.cloudProvider.metadata.name);
    for (const run of [r.first, r.ready!]) {
      const objs = composed(run.stage2);
      const cloud = objs.filter((o) => /^[a-z0-9.-]+\.(aws|gcp)\.upbound\.io\//.test(o.apiVersion));
      expect(cloud.length).toBeGreaterThan(0);
      for (const o of cloud) expect([resourceNameOf(o), o.spec.providerConfigRef]).toEqual([resourceNameOf(o), { name: pc }]);
      for (const o of objs.filter((x) => x.apiVersion.startsWith('kubernetes.crossplane.io/') && x.kind === 'Object')) expect(o.spec.providerConfigRef.name).not.toBe(pc);
    }
  });

  it("the CloudProvider's own Composition composes that ProviderConfig, valid against the provider's CRD", async () => {
    const out = await crossplaneRender([ex.required, CLOUDPROVIDER_COMPOSITION, servers.functionsFile, '-r']);
    const pcs = composed(out.docs).filter((d) => d.kind === 'ProviderConfig');
    expect(pcs).toHaveLength(1);
    const pc = pcs[0]!;
    expect(pc.apiVersion).toBe(`${claim.cloudProvider.spec.type}.upbound.io/v1beta1`);
    expect(pc.metadata.name).toBe(r.first.infra!.spec.providerConfigName);
    expect(crds.errors(pc)).toEqual([]);
    const ref = claim.cloudProvider.spec.credentials?.secretRef;
    if (ref) expect(pc.spec.credentials.secretRef).toEqual({ namespace: ref.namespace ?? claim.cloudProvider.spec.claimRef.namespace, name: ref.name, key: ref.key ?? 'credentials' });
    expect(out.docs.find((d) => isXr(d, 'XCloudProvider'))?.status.providerConfigName).toBe(pc.metadata.name);
  });

  it('every cross-resource selector matches exactly one sibling of the kind its CRD references', () => {
    for (const [label, run] of both()) {
      const objs = composed(run.ready!.stage2);
      expect([label, selectorProblems(objs, (v, k) => crds.schemaOf(v, k), resourceNameOf)]).toEqual([label, []]);
    }
  });

  // Read as a platform engineer would before applying it to a real account (issue 12 item 4).
  it('every name fits what its provider accepts for the kind (length, characters; a generated name where it could be too long is not)', () => {
    for (const [label, run] of both()) expect([label, nameProblems(composed(run.ready!.stage2))]).toEqual([label, []]);
  });

  it("each compute resource's role / service account is granted what it does (pull its image, write logs and metrics, push builds)", () => {
    const memberOf = (sa: Obj): string | undefined => simulateObserved(sa).status.atProvider?.member;
    for (const [label, run] of both()) expect([label, identityProblems(composed(run.ready!.stage2), memberOf)]).toEqual([label, []]);
  });

  it('VM startup scripts run only what the OS image has or they installed, and authenticate before pulling a private image', () => {
    for (const [label, run] of both()) expect([label, startupScriptProblems(composed(run.ready!.stage2))]).toEqual([label, []]);
  });

  it('endpoints are public URLs whose host a provider reported or a composed DNS record (observed Ready) names; https names have a certificate', () => {
    const { strategy, cloud, policies } = r.first.infra!.spec;
    for (const [label, run, platform] of both()) {
      // At every step of the providers' reports, not only once everything exists.
      for (const [i, { render, observed }] of run.history!.entries()) {
        const out = render.stage2.find((d) => isXr(d, 'XInfrastructure'))!;
        expect([label, `render ${i + 2}`, endpointProblems(out.status?.endpoints ?? [], observed)]).toEqual([label, `render ${i + 2}`, []]);
      }
      // Once the providers reported everything, there is one (a single VM's: the address its provider reports).
      const last = run.history!.at(-1)!.render.stage2.find((d) => isXr(d, 'XInfrastructure'))!;
      expect([label, (last.status?.endpoints ?? []).length]).not.toEqual([label, 0]);
      const infraOut = run.third!.stage2.find((d) => isXr(d, 'XInfrastructure'))!;
      // With the platform's zone, require-https is served on the app's name (once its record exists).
      if (platform && policies.includes('require-https')) {
        expect([label, infraOut.status.endpoints[0]?.url]).toEqual([label, expect.stringMatching(/^https:\/\//)]);
        if (strategy !== 'serverless') expect(composed(run.ready!.stage2).some((o) => ['Record', 'RecordSet'].includes(o.kind) && resourceNameOf(o) === 'app-record')).toBe(true);
      }
      if (!platform && policies.includes('require-https') && strategy !== 'serverless') {
        expect(infraOut.status.endpoints[0]).toMatchObject({ name: expect.stringContaining(ZONE_SETTING[cloud as 'aws' | 'gcp']), url: expect.stringMatching(/^http:/) });
      }
    }
  });

  it('sizes follow the decision', () => {
    const infra = r.first.infra!;
    const cfg = infra.spec.config;
    const by = (kind: string) => composed(r.ready!.stage2).filter((o) => o.kind === kind);
    const one = (kind: string) => {
      const xs = by(kind);
      expect(xs, kind).toHaveLength(1);
      return xs[0]!.spec.forProvider;
    };
    switch (want!.composition) {
      case 'scai-vm-aws': {
        if (cfg.maxInstances > 1 || infra.spec.policies.includes('require-https')) {
          const asg = one('AutoscalingGroup');
          // With a scaling policy the desired capacity is only set at creation: the policy owns it afterwards.
          expect([asg.minSize, asg.maxSize, asg.desiredCapacity ?? by('AutoscalingGroup')[0]!.spec.initProvider?.desiredCapacity]).toEqual([cfg.minInstances, cfg.maxInstances, cfg.minInstances]);
        } else {
          // One instance without a load balancer: an EC2 Instance from the launch template (its provider reports its IP), no group.
          expect(by('AutoscalingGroup')).toEqual([]);
          expect(one('Instance').launchTemplate.version).toBe('1');
        }
        const lt = one('LaunchTemplate');
        expect(lt.instanceType).toBe(cfg.instanceType);
        expect(lt.blockDeviceMappings[0].ebs.volumeSize).toBe(cfg.diskGb);
        break;
      }
      case 'scai-vm-gcp': {
        if (cfg.maxInstances > 1 || infra.spec.policies.includes('require-https')) {
          const as = one('Autoscaler');
          expect([as.autoscalingPolicy.minReplicas, as.autoscalingPolicy.maxReplicas]).toEqual([cfg.minInstances, cfg.maxInstances]);
          const it = one('InstanceTemplate');
          expect(it.machineType).toBe(cfg.instanceType);
          expect(it.disk[0].diskSizeGb).toBe(cfg.diskGb);
        } else {
          // One instance without a load balancer: a managed Instance (its provider reports its IP), no group.
          expect([by('InstanceTemplate'), by('InstanceGroupManager'), by('Autoscaler')]).toEqual([[], [], []]);
          const vm = one('Instance');
          expect([vm.machineType, vm.bootDisk.initializeParams.size]).toEqual([cfg.instanceType, cfg.diskGb]);
        }
        break;
      }
      case 'scai-kubernetes-aws': {
        const ng = one('NodeGroup');
        expect(ng.scalingConfig).toEqual({ desiredSize: cfg.nodeCount, minSize: cfg.nodeCount, maxSize: cfg.nodeCount });
        expect(ng.instanceTypes).toEqual([cfg.instanceType]);
        break;
      }
      case 'scai-kubernetes-gcp': {
        const np = one('NodePool');
        expect(np.nodeCount).toBe(cfg.nodeCount);
        expect(np.nodeConfig.machineType).toBe(cfg.instanceType);
        break;
      }
      case 'scai-serverless-aws': {
        const fn = one('Function');
        expect([fn.memorySize, fn.timeout]).toEqual([cfg.memoryMb, cfg.timeoutSeconds]);
        break;
      }
      case 'scai-serverless-gcp': {
        const svc = one('V2Service');
        expect(svc.template.containers[0].resources.limits.memory).toBe(`${cfg.memoryMb}Mi`);
        expect(svc.template.maxInstanceRequestConcurrency).toBe(cfg.maxConcurrency);
        break;
      }
    }
    if (infra.spec.strategy === 'kubernetes') {
      const dep = composed(r.ready!.stage2).find((o) => resourceNameOf(o) === 'app-deployment')!;
      expect(dep.spec.forProvider.manifest.spec.replicas).toBe(cfg.replicas);
      expect(dep.spec.forProvider.manifest.spec.template.spec.containers[0].ports[0].containerPort).toBe(cfg.port);
    }
  });

  it('policies and tags change the output as priced (load balancer, HTTPS, monitoring, SSH, labels)', () => {
    const infra = r.first.infra!;
    const { strategy, cloud, policies, config, tags } = infra.spec;
    const objs = composed(r.ready!.stage2);
    const kinds = objs.map((o) => o.kind);
    const names = objs.map(resourceNameOf);
    const xr = r.first.stage1.find((d) => isXr(d, 'XDeployment'))!;
    const pricedLb = xr.status.cost.breakdown.some((l: Obj) => l.item === 'load balancer');
    const pricedAlarms = xr.status.cost.breakdown.find((l: Obj) => l.item === 'monitoring alarms')?.quantity ?? 0;
    if (cloud === 'aws' && strategy === 'vm') expect(kinds.includes('LB')).toBe(pricedLb);
    if (strategy === 'kubernetes') expect(names).toContain('app-service');
    if (cloud === 'aws') expect(kinds.filter((k) => k === 'MetricAlarm')).toHaveLength(pricedAlarms);
    // Priced = rendered: a log group is composed exactly when log ingestion is priced.
    const pricedLogs = xr.status.cost.breakdown.some((l: Obj) => l.item === 'log ingestion');
    if (cloud === 'aws') expect(kinds.includes('Group')).toBe(pricedLogs);
    // Priced = rendered: the image build (CodeBuild project / Cloud Build trigger) exactly when it is priced.
    const pricedBuild = xr.status.cost.breakdown.some((l: Obj) => l.item === 'image build');
    expect(kinds.includes(cloud === 'aws' ? 'Project' : 'Trigger')).toBe(pricedBuild);
    // Priced = rendered: every public IPv4 in use (an internet-facing AWS load balancer's, a GCP VM's
    // accessConfig, an AWS VM's associatePublicIpAddress) is priced, as many as there are; instances
    // behind a load balancer sit in private subnets without one, never left to a subnet default.
    for (const [label, run, platform] of both()) {
      const priced = run.first.stage1.find((d) => isXr(d, 'XDeployment'))!.status.cost.breakdown.find((l: Obj) => l.item === 'public IPv4')?.quantity ?? 0;
      const ips = publicIpv4s(composed(run.ready!.stage2), { cloud, lbAddresses: AWS_LB_PUBLIC_IPV4S, accessLabel: platform ? PLATFORM.awsSubnetAccessLabel : SUBNET_ACCESS_LABEL });
      expect([label, ips.problems, priced / HOURS_PER_MONTH]).toEqual([label, [], ips.count]);
    }
    if (policies.includes('require-https') && strategy !== 'serverless') {
      // vm and kubernetes validate their certificate in the platform's DNS zone (params
      // awsHostedZoneId / gcpDnsZone) before serving TLS; without a zone: no certificate, plain HTTP.
      const certs = (o: typeof objs) => o.some((x) => ['Certificate', 'ManagedSSLCertificate'].includes(x.kind) || x.spec?.forProvider?.manifest?.kind === 'ManagedCertificate');
      expect(certs(objs)).toBe(false);
      expect(certs(composed(rp.ready!.stage2))).toBe(true);
      if (cloud === 'aws' && strategy === 'vm') {
        expect(objs.find((o) => resourceNameOf(o) === 'listener-https')).toBeUndefined();
        expect(composed(rp.ready!.stage2).find((o) => resourceNameOf(o) === 'listener-https')?.spec.forProvider.protocol).toBe('HTTPS');
      }
    }
    const ssh = objs.filter((o) => ['security-group-ssh', 'firewall-ssh'].includes(resourceNameOf(o)));
    expect(ssh.length > 0).toBe(policies.includes('allow-public-ssh'));
    for (const o of objs) {
      const p = o.spec.forProvider ?? {};
      if (cloud === 'aws' && 'tags' in p) expect(p.tags).toEqual(tags);
      // A NotificationChannel's labels are its settings (email_address), not tags.
      if (cloud === 'gcp' && p.labels && o.kind !== 'NodePool' && o.kind !== 'NotificationChannel') {
        for (const [k, v] of Object.entries(p.labels as Record<string, string>)) {
          expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
          expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
        }
        expect(Object.keys(p.labels).length).toBe(Object.keys(tags).length);
      }
    }
    expect(config.port).toBeGreaterThan(0);
  });

  it('with composed resources observed Ready, the XInfrastructure is Ready with endpoints, and so is the Deployment', () => {
    const infraOut = r.third!.stage2.find((d) => isXr(d, 'XInfrastructure'))!;
    expect(infraOut.status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Available' });
    const xr = r.ready!.stage1.find((d) => isXr(d, 'XDeployment'))!;
    expect(xr.status.conditions.find((c: Obj) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Available' });
    expect(infraOut.status.endpoints.length).toBeGreaterThan(0);
    for (const e of infraOut.status.endpoints) expect(e.url).toMatch(/^https?:\/\/\S+$/);
    // Serverless URLs are HTTPS-only; vm / kubernetes without the platform's zone serve HTTP and say why (the endpoints test).
    if (r.first.infra!.spec.policies.includes('require-https') && r.first.infra!.spec.strategy === 'serverless') expect(infraOut.status.endpoints[0].url).toMatch(/^https:/);
    expect(xr.status.endpoints).toEqual(infraOut.status.endpoints);
  });

  it('re-rendering with the previous output observed changes nothing', () => {
    // Stage 2: once the providers report what was asked for (render 2 observed render 1's output,
    // e.g. the certificate ARN that adds the HTTPS listener), rendering again with the previous
    // output observed yields the same composed resources.
    // (Only metadata.name differs for resources first composed by the previous render: Crossplane
    // names them from generateName, and the observed copy carries that name.)
    const norm = (docs: Obj[]) => composed(docs).map(({ metadata: { name: _n, generateName: _g, ...meta }, ...rest }) => ({ ...rest, metadata: meta }));
    expect(norm(r.third!.stage2)).toEqual(norm(r.second!.stage2));
    expect(composed(r.ready!.stage2)).toEqual(composed(r.third!.stage2));
    // Stage 1: the pinned decision composes the same XInfrastructure.
    const infra = (run: typeof r.first) =>
      run.stage1.filter((d) => d.kind === 'XInfrastructure' && resourceNameOf(d)).map((d) => ({ labels: d.metadata.labels, spec: d.spec }));
    expect(infra(r.ready!)).toHaveLength(1);
    expect(infra(r.ready!)).toEqual(infra(r.first));
  });
});

describe("a Deployment naming another namespace's CloudProvider (real crossplane render)", () => {
  const base = loadClaim(join(CLAIMS_DIR, 'vm-aws-express.yaml'));
  /** The claim's CloudProvider, as the claim of the same name in team-x would be. */
  const elsewhere = (): Obj => {
    const cp = structuredClone(base.cloudProvider);
    cp.metadata.labels['crossplane.io/claim-namespace'] = 'team-x';
    cp.spec.claimRef.namespace = 'team-x';
    return cp;
  };

  it('a claim: the selector finds none in its namespace: Fatal naming spec.cloudProvider, nothing rendered', async () => {
    const d = mkdtempSync(join(dir, 'xns-'));
    await expect(renderPipeline({ xr: base.xr, cloudProvider: elsewhere() }, servers, d)).rejects.toThrow(
      /spec\.cloudProvider: CloudProvider "aws-team-b" not found in namespace team-b \(a Deployment can only use a CloudProvider of its own namespace\)/,
    );
  });

  it("an XDeployment naming a team's XCloudProvider directly: Fatal, nothing rendered", async () => {
    const d = mkdtempSync(join(dir, 'xns-'));
    const cp = elsewhere();
    const { claimRef: _c, ...spec } = base.xr.spec;
    const bare = { ...base.xr, metadata: { name: 'direct', uid: base.xr.metadata.uid }, spec: { ...spec, cloudProvider: cp.metadata.name } };
    await expect(renderPipeline({ xr: bare, cloudProvider: cp }, servers, d)).rejects.toThrow(/belongs to namespace team-x, the Deployment to no namespace: a Deployment can only use a CloudProvider of its own namespace/);
  });
});

describe('team budget (CloudProvider spec.costControl.monthlyBudget; real crossplane render asking for the team\'s Deployments)', () => {
  const base = loadClaim(join(CLAIMS_DIR, 'vm-aws-express.yaml'));
  const ns = base.xr.spec.claimRef.namespace;
  /** A pinned teammate on the same CloudProvider, as Crossplane lists it; one of another namespace is not counted. */
  const mate = (name: string, monthly: number, namespace = ns): Obj => ({
    apiVersion: 'scai.io/v1alpha1',
    kind: 'XDeployment',
    metadata: { name: `${name}-00000`, labels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': namespace } },
    spec: { ...base.xr.spec, claimRef: { ...base.xr.spec.claimRef, name, namespace } },
    status: { cost: { estimatedMonthly: monthly }, decision: { inputsHash: `pinned-${name}` } },
  });
  const team = [mate('billing', 120), mate('search', 80.5), mate('elsewhere', 5000, 'team-x')];
  const withBudget = (costControl: Obj) => ({ ...base, cloudProvider: { ...base.cloudProvider, spec: { ...base.cloudProvider.spec, costControl } }, team });
  const results = (docs: Obj[]) => docs.filter((d) => d.kind === 'Result').map((d) => `${d.severity}: ${d.message}`);
  let alone = 0;

  beforeAll(async () => {
    const r = await renderPipeline(base, servers, mkdtempSync(join(dir, 'team-')));
    alone = r.stage1.find((d) => isXr(d, 'XDeployment'))!.status.cost.estimatedMonthly;
  });

  it('hard: over the team budget, nothing is composed and the refusal gives the sums', async () => {
    const budget = Math.floor(alone + 200.5) - 1;
    const r = await renderPipeline(withBudget({ monthlyBudget: budget }), servers, mkdtempSync(join(dir, 'team-')));
    const xr = r.stage1.find((d) => isXr(d, 'XDeployment'))!;
    expect(xr.status.phase).toBe('BudgetExceeded');
    expect(r.stage1.filter((d) => d.kind === 'XInfrastructure')).toEqual([]);
    const total = (alone + 200.5).toFixed(2);
    expect(results(r.stage1).join('\n')).toContain(
      `hard team budget: $${alone.toFixed(2)}/month for this decision + $200.50/month pinned by 2 other Deployment(s) of namespace ${ns} (billing $120.00, search $80.50) = $${total}/month exceeds the $${budget.toFixed(2)} team budget (CloudProvider spec.costControl.monthlyBudget) by $${(alone + 200.5 - budget).toFixed(2)}; the vm decision is refused`,
    );
    expect(xr.status.conditions.find((c: Obj) => c.type === 'BudgetOK')).toMatchObject({ status: 'False', reason: 'TeamOverBudget' });
  });

  it('soft: composed, with the warning and the sums', async () => {
    const r = await renderPipeline(withBudget({ monthlyBudget: 150, enforcementMode: 'soft' }), servers, mkdtempSync(join(dir, 'team-')));
    expect(r.infra).toBeDefined();
    expect(results(r.stage1).join('\n')).toMatch(/soft team budget: \$[\d.]+\/month for this decision \+ \$200\.50\/month pinned by 2 other Deployment\(s\) .* exceeds the \$150\.00 team budget/);
  });

  it('within the budget past alertThreshold: composed, warned as near', async () => {
    const r = await renderPipeline(withBudget({ monthlyBudget: Math.ceil(alone + 200.5) + 1, alertThreshold: 0.5 }), servers, mkdtempSync(join(dir, 'team-')));
    expect(r.infra).toBeDefined();
    expect(results(r.stage1).join('\n')).toMatch(/team budget: .* = \$[\d.]+\/month, \d+% of the \$[\d.]+ team budget/);
  });
});
