// Tenancy on a REAL kube-apiserver (RBAC on, ./helpers/kube.ts) with impersonated team users: the
// roles of tenancy/roles.yaml, the onboarding kit `scai tenant` prints (Pod Security, ResourceQuota,
// default-deny NetworkPolicy, RoleBindings), and the ValidatingAdmissionPolicy of
// tenancy/admission.yaml with its parameters in tenancy/teams.yaml, which the API server enforces itself.
// One stand-in: no kube-controller-manager runs here, so a ResourceQuota's first status (hard, used 0)
// is written as its resourcequota controller would; from then on the API server's quota admission
// counts and refuses on its own. (Role aggregation to admin/edit/view is also that controller's job:
// checked on the labels only.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { DEPLOYMENT_QUOTA_KEY, run as tenantCli } from '../function/src/cli/commands/tenant.js';
import { createAs, kubeRequest, type Who } from './helpers/kube-as.js';
import { ROOT, startKube, waitFor, type KubeEnv } from './helpers/kube.js';
import { xrdToCrds } from './helpers/xrd-crd.js';

const docsOf = (text: string): any[] => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
const ROLES = docsOf(readFileSync(join(ROOT, 'tenancy/roles.yaml'), 'utf8'));
const ADMISSION = docsOf(readFileSync(join(ROOT, 'tenancy/admission.yaml'), 'utf8'));
const TEAMS = docsOf(readFileSync(join(ROOT, 'tenancy/teams.yaml'), 'utf8'));

async function tenant(...argv: string[]): Promise<any[]> {
  let out = '';
  let err = '';
  const code = await tenantCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  expect([code, err]).toEqual([0, '']);
  return docsOf(out);
}

const alice: Who = { user: 'alice', groups: ['team-a-devs'] };
const victor: Who = { user: 'victor', groups: ['team-a-auditors'] };
const pat: Who = { user: 'pat', groups: ['platform'] };

const deployment = (ns: string, name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'scai.io/v1alpha1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { repository: { url: 'https://github.com/acme/shop.git' }, cloudProvider: `aws-${ns}`, ...spec },
});
const cloudProvider = (ns: string) => ({
  apiVersion: 'scai.io/v1alpha1',
  kind: 'CloudProvider',
  metadata: { name: `aws-${ns}`, namespace: ns },
  spec: { type: 'aws', defaultRegion: 'us-east-1', credentials: { secretRef: { name: 'aws-credentials' } } },
});
const claims = (ns: string) => `/apis/scai.io/v1alpha1/namespaces/${ns}/deployments`;

let env: KubeEnv;
const admin = async (o: any) => {
  const r = await createAs(env, o);
  expect([o.kind, o.metadata.name, r.status, r.status === 201 ? '' : r.body?.message]).toEqual([o.kind, o.metadata.name, 201, '']);
  return r;
};

/** What kube-controller-manager's resourcequota controller writes first (see the file comment). */
async function primeQuota(ns: string) {
  const q = (await kubeRequest(env, 'GET', `/api/v1/namespaces/${ns}/resourcequotas/scai`)).body;
  const used = Object.fromEntries(Object.keys(q.spec.hard).map((k) => [k, '0']));
  const r = await kubeRequest(env, 'PUT', `/api/v1/namespaces/${ns}/resourcequotas/scai/status`, { ...q, status: { hard: q.spec.hard, used } });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  env = await startKube();
  for (const crd of xrdToCrds(parse(readFileSync(join(ROOT, 'apis/xcloudproviders.yaml'), 'utf8')))) await admin(crd);
  await waitFor('the CloudProvider CRD to be served', async () => (await kubeRequest(env, 'GET', '/apis/scai.io/v1alpha1/cloudproviders')).status === 200);
  for (const o of ROLES) await admin(o);
  await admin({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'platform-admins' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'scai-platform-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'platform' }] });
}, 180_000);

afterAll(async () => {
  await env?.stop();
});

describe('roles (tenancy/roles.yaml)', () => {
  it('aggregate to the built-in roles by convention: deployer to admin/edit, viewer to admin/edit/view, platform admin to none', () => {
    const agg = (name: string) => Object.keys(ROLES.find((r) => r.metadata.name === name).metadata.labels).filter((k) => k.startsWith('rbac.authorization.k8s.io/aggregate-to-')).map((k) => k.split('-to-')[1]).sort();
    expect([agg('scai-deployer'), agg('scai-viewer'), agg('scai-platform-admin')]).toEqual([['admin', 'edit'], ['admin', 'edit', 'view'], []]);
  });
  it('no scai role grants Secrets', () => {
    for (const r of ROLES) for (const rule of r.rules) expect([r.metadata.name, rule.resources.includes('secrets')]).toEqual([r.metadata.name, false]);
  });
});

describe('onboarding kit (scai tenant) and team roles on the real API server', () => {
  beforeAll(async () => {
    for (const [ns, group, viewers] of [['team-a', 'team-a-devs', ['team-a-auditors']], ['team-b', 'team-b-devs', []]] as const) {
      for (const o of await tenant(ns, '--group', group, '--max-deployments', '3', ...viewers.flatMap((v) => ['--viewer-group', v]))) await admin(o);
      await primeQuota(ns);
      await admin(cloudProvider(ns));
      await admin({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws-credentials', namespace: ns }, stringData: { credentials: '[default]\naws_access_key_id = AKIA' } });
    }
    await admin(deployment('team-b', 'b-shop'));
  }, 60_000);

  it('the kit applied cleanly: Namespace with Pod Security restricted, the quota, the default-deny policy, the bindings', async () => {
    const ns = (await kubeRequest(env, 'GET', '/api/v1/namespaces/team-a')).body;
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' });
    expect((await kubeRequest(env, 'GET', '/api/v1/namespaces/team-a/resourcequotas/scai')).body.spec.hard).toEqual({ [DEPLOYMENT_QUOTA_KEY]: '3' });
    expect((await kubeRequest(env, 'GET', '/apis/networking.k8s.io/v1/namespaces/team-a/networkpolicies/default-deny')).body.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // Pod Security restricted is enforced by the API server: a pod without the restricted securityContext is refused.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root', namespace: 'team-a' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const refused = await createAs(env, pod);
    expect([refused.status, refused.body.message]).toEqual([403, expect.stringContaining('violates PodSecurity "restricted:latest"')]);
  });

  it('a team-a user creates, reads and annotates (feedback) Deployments in team-a', async () => {
    expect((await createAs(env, deployment('team-a', 'shop'), alice)).status).toBe(201);
    expect((await kubeRequest(env, 'GET', `${claims('team-a')}/shop`, undefined, alice)).status).toBe(200);
    expect((await kubeRequest(env, 'GET', claims('team-a'), undefined, alice)).body.items.map((i: any) => i.metadata.name)).toEqual(['shop']);
    const fb = await kubeRequest(env, 'PATCH', `${claims('team-a')}/shop`, { metadata: { annotations: { 'scai.io/feedback': 'good' } } }, alice);
    expect(fb.status).toBe(200);
    expect((await kubeRequest(env, 'GET', '/apis/scai.io/v1alpha1/namespaces/team-a/cloudproviders/aws-team-a', undefined, alice)).status).toBe(200);
  });

  it("a team-a user can neither read nor write team-b's Deployments", async () => {
    expect((await kubeRequest(env, 'GET', `${claims('team-b')}/b-shop`, undefined, alice)).status).toBe(403);
    expect((await kubeRequest(env, 'GET', claims('team-b'), undefined, alice)).status).toBe(403);
    expect((await createAs(env, deployment('team-b', 'intruder'), alice)).status).toBe(403);
    expect((await kubeRequest(env, 'PATCH', `${claims('team-b')}/b-shop`, { spec: { prompt: 'x' } }, alice)).status).toBe(403);
    expect((await kubeRequest(env, 'DELETE', `${claims('team-b')}/b-shop`, undefined, alice)).status).toBe(403);
  });

  it('a team-a user cannot create or edit a CloudProvider, nor read the credentials Secret', async () => {
    const r = await createAs(env, { ...cloudProvider('team-a'), metadata: { name: 'aws-mine', namespace: 'team-a' } }, alice);
    expect([r.status, r.body.message]).toEqual([403, expect.stringContaining('cannot create resource "cloudproviders"')]);
    expect((await kubeRequest(env, 'PATCH', '/apis/scai.io/v1alpha1/namespaces/team-a/cloudproviders/aws-team-a', { spec: { defaultRegion: 'eu-west-1' } }, alice)).status).toBe(403);
    expect((await kubeRequest(env, 'DELETE', '/apis/scai.io/v1alpha1/namespaces/team-a/cloudproviders/aws-team-a', undefined, alice)).status).toBe(403);
    const s = await kubeRequest(env, 'GET', '/api/v1/namespaces/team-a/secrets/aws-credentials', undefined, alice);
    expect([s.status, s.body.message]).toEqual([403, expect.stringContaining('cannot get resource "secrets"')]);
    expect((await kubeRequest(env, 'GET', '/api/v1/namespaces/team-a/secrets', undefined, alice)).status).toBe(403);
  });

  it('a viewer reads and writes nothing; the platform admin manages CloudProviders', async () => {
    expect((await kubeRequest(env, 'GET', claims('team-a'), undefined, victor)).status).toBe(200);
    expect((await createAs(env, deployment('team-a', 'by-viewer'), victor)).status).toBe(403);
    expect((await createAs(env, { ...cloudProvider('team-a'), metadata: { name: 'gcp-team-a', namespace: 'team-a' }, spec: { type: 'gcp', defaultRegion: 'europe-west1', projectId: 'team-a-prod' } }, pat)).status).toBe(201);
  });

  it("the XRD refuses a CloudProvider whose credentials do not fit its cloud, naming the field (the API server's CEL)", async () => {
    const cp = (name: string, spec: Record<string, unknown>) => ({ ...cloudProvider('team-a'), metadata: { name, namespace: 'team-a' }, spec: { defaultRegion: 'us-east-1', ...spec } });
    for (const [spec, msg] of [
      [{ type: 'gcp', defaultRegion: 'europe-west1' }, 'spec.projectId is required for a gcp CloudProvider'],
      [{ type: 'aws', credentials: { source: 'Secret' } }, 'spec.credentials.secretRef is required when source is Secret'],
      [{ type: 'aws', credentials: { source: 'WebIdentity' } }, 'spec.credentials.webIdentity.roleARN is required when source is WebIdentity'],
      [{ type: 'aws', credentials: { source: 'InjectedIdentity' } }, 'spec.credentials.source: aws takes Secret, IRSA or WebIdentity'],
      [{ type: 'gcp', projectId: 'team-a-prod', defaultRegion: 'europe-west1', credentials: { assumeRole: { roleARN: 'arn:aws:iam::111122223333:role/x' } } }, 'spec.credentials.assumeRole and webIdentity are AWS only'],
    ] as const) {
      const r = await createAs(env, cp('bad', spec), pat);
      expect([r.status, r.body.message]).toEqual([422, expect.stringContaining(msg)]);
    }
    const ok = cp('keyless', { type: 'aws', credentials: { source: 'WebIdentity', webIdentity: { roleARN: 'arn:aws:iam::111122223333:role/scai' }, assumeRole: { roleARN: 'arn:aws:iam::444455556666:role/team-a', externalID: 'team-a' } } });
    expect((await createAs(env, ok, pat)).status).toBe(201);
  });

  it('the quota refuses the (n+1)-th Deployment (n = --max-deployments 3)', async () => {
    // team-a holds 1 (shop) from above: two more fit, the fourth is refused by the API server.
    for (const n of ['shop-2', 'shop-3']) expect((await createAs(env, deployment('team-a', n), alice)).status).toBe(201);
    const r = await createAs(env, deployment('team-a', 'shop-4'), alice);
    expect([r.status, r.body.message]).toEqual([403, expect.stringMatching(/exceeded quota: scai, requested: count\/deployments\.scai\.io=1, used: count\/deployments\.scai\.io=3, limited: count\/deployments\.scai\.io=3/)]);
  });
});

describe('admission (tenancy/admission.yaml: ValidatingAdmissionPolicy, enforced by the API server)', () => {
  const NS = 'team-c';
  beforeAll(async () => {
    for (const o of await tenant(NS, '--group', 'team-c-devs')) await admin(o);
    await primeQuota(NS);
    await admin(ADMISSION[0]);
    await waitFor('the TeamPolicy CRD to be served', async () => (await kubeRequest(env, 'GET', '/apis/scai.io/v1alpha1/teampolicies')).status === 200);
    expect(ADMISSION.map((o) => o.kind)).toEqual(['CustomResourceDefinition', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    for (const o of [...ADMISSION.slice(1), ...TEAMS]) await admin(o);
    // The platform admin edits the one TeamPolicy object.
    const teams = { [NS]: { requiredPolicies: ['require-https', 'enable-monitoring'], minMonthlyBudget: 50, allowedCloudProviders: ['aws-team-c', 'gcp-team-c'] } };
    expect((await kubeRequest(env, 'PATCH', '/apis/scai.io/v1alpha1/teampolicies/scai-teams', { spec: { teams } }, pat)).status).toBe(200);
    // The policy and its parameters reach the admission plugin asynchronously.
    let last: unknown;
    await waitFor('the policy to refuse a claim', async () => {
      const r = await createAs(env, deployment(NS, 'probe'));
      last = [r.status, r.body?.message];
      return r.status === 422;
    }, 30_000, 250).catch((e: Error) => {
      throw new Error(`${e.message}; last reply ${JSON.stringify(last)}`);
    });
  }, 60_000);

  const good = { policies: ['require-https', 'enable-monitoring'], budget: { maxMonthlyCost: 80 } };

  it('a claim lacking a policy required for its namespace is refused, naming spec.policies', async () => {
    const r = await createAs(env, deployment(NS, 'no-https', { ...good, policies: ['enable-monitoring'] }));
    expect([r.status, r.body.message]).toEqual([422, expect.stringContaining('spec.policies: namespace team-c requires require-https (TeamPolicy scai-teams)')]);
  });

  it("a budget below the team's minimum is refused, naming spec.budget.maxMonthlyCost", async () => {
    const r = await createAs(env, deployment(NS, 'cheap', { ...good, budget: { maxMonthlyCost: 20 } }));
    expect([r.status, r.body.message]).toEqual([422, expect.stringContaining('spec.budget.maxMonthlyCost: 20 is below the minimum of 50 USD/month for namespace team-c')]);
  });

  it('a CloudProvider not allowed for the namespace is refused, naming spec.cloudProvider', async () => {
    const r = await createAs(env, deployment(NS, 'elsewhere', { ...good, cloudProvider: 'aws-team-a' }));
    expect([r.status, r.body.message]).toEqual([422, expect.stringContaining('spec.cloudProvider: aws-team-a is not allowed in namespace team-c (allowed: aws-team-c, gcp-team-c; TeamPolicy scai-teams)')]);
  });

  it('an update is checked too; an allowed claim passes; a namespace without parameters is not constrained', async () => {
    expect((await createAs(env, deployment(NS, 'ok', good))).status).toBe(201);
    const upd = await kubeRequest(env, 'PATCH', `${claims(NS)}/ok`, { spec: { policies: ['enable-monitoring'] } });
    expect([upd.status, upd.body.message]).toEqual([422, expect.stringContaining('requires require-https')]);
    expect((await createAs(env, deployment('team-b', 'unconstrained', { budget: { maxMonthlyCost: 10 } }))).status).toBe(201);
  });
});
