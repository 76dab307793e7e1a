import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentSpecSchema, POLICY_PATTERN } from '../function/src/api/claim.js';
import { defaultSettings } from '../function/src/api/input.js';
import { CrdValidator, readYamlDocs, SHARED_CRDS, toJsonSchema } from './helpers/crd-validate.js';
import { xrdToCrds } from './helpers/xrd-crd.js';

const ROOT = join(import.meta.dirname, '..');
const xrdFiles = readdirSync(join(ROOT, 'apis')).filter((f) => f.endsWith('.yaml'));
const xrds = xrdFiles.flatMap((f) => readYamlDocs(join(ROOT, 'apis', f)));

const crossplane = new CrdValidator().addDir(join(SHARED_CRDS, 'crossplane-v2.1.8'));
const claims = new CrdValidator();
beforeAll(() => {
  for (const x of xrds) for (const c of xrdToCrds(x)) claims.addCrd(c);
});

const validClaim = () => ({
  apiVersion: 'scai.io/v1alpha1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'team-a' },
  spec: {
    repository: { url: 'https://github.com/acme/web.git', ref: 'main', path: 'services/web' },
    prompt: 'Flask API, highly available, under $300/month',
    cloudProvider: 'aws-team-a',
    budget: { maxMonthlyCost: 300, alertThreshold: 0.8, enforcementMode: 'hard' },
    policies: ['require-https', 'max-replicas:4'],
    strategy: 'auto',
  },
});

describe('XRDs', () => {
  it('are the three scai.io XRDs', () => {
    expect(xrds.map((x) => x.metadata.name).sort()).toEqual(['xcloudproviders.scai.io', 'xdeployments.scai.io', 'xinfrastructures.scai.io']);
  });

  it.each(xrdFiles)('%s validates against Crossplane 2.1.8 CompositeResourceDefinition', (f) => {
    for (const x of readYamlDocs(join(ROOT, 'apis', f))) expect(crossplane.errors(x)).toEqual([]);
  });

  it('have no scope (LegacyCluster on 2.x, valid on 1.17+) and claim kinds where users need them', () => {
    for (const x of xrds) expect(x.spec.scope).toBeUndefined();
    const d = xrds.find((x) => x.metadata.name === 'xdeployments.scai.io')!;
    expect(d.spec.claimNames).toEqual({ kind: 'Deployment', plural: 'deployments', categories: ['scai'] });
    expect(xrds.find((x) => x.metadata.name === 'xinfrastructures.scai.io')!.spec.claimNames).toBeUndefined();
  });

  it('schemas compile as JSON Schema (patterns, bounds)', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const x of xrds) for (const v of x.spec.versions) expect(() => ajv.compile(toJsonSchema(v.schema.openAPIV3Schema))).not.toThrow();
  });

  it('the policy pattern is the same in the XRD and in the function', () => {
    const d = xrds.find((x) => x.metadata.name === 'xdeployments.scai.io')!;
    const pattern = d.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.policies.items.pattern;
    expect(pattern).toBe(POLICY_PATTERN.source);
  });
});

describe('Deployment claims', () => {
  it('accepts a valid claim and the examples', () => {
    expect(claims.errors(validClaim())).toEqual([]);
    for (const f of readdirSync(join(ROOT, 'examples', 'claims')).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of readYamlDocs(join(ROOT, 'examples', 'claims', f))) expect([f, claims.errors(doc)]).toEqual([f, []]);
    }
  });

  const bad: Array<[string, (c: any) => void, RegExp]> = [
    ['budget under 10 USD', (c) => (c.spec.budget.maxMonthlyCost = 5), /maxMonthlyCost|at least 10/],
    ['unknown strategy', (c) => (c.spec.strategy = 'mainframe'), /strategy/],
    ['unknown enforcement mode', (c) => (c.spec.budget.enforcementMode = 'strict'), /enforcementMode/],
    ['unknown policy', (c) => c.spec.policies.push('make-it-fast'), /policies/],
    ['file:// repository', (c) => (c.spec.repository.url = 'file:///etc'), /repository\/url/],
    ['path escaping the repository', (c) => (c.spec.repository.path = 'a/../../etc'), /inside the repository/],
    ['absolute path', (c) => (c.spec.repository.path = '/etc'), /inside the repository/],
    ['missing cloudProvider', (c) => delete c.spec.cloudProvider, /cloudProvider/],
    ['strategy denied by policies', (c) => { c.spec.strategy = 'vm'; c.spec.policies.push('deny-strategy:vm'); }, /policies deny/],
    ['misspelt field', (c) => (c.spec.budjet = {}), /budjet/],
    ['alert threshold above 1', (c) => (c.spec.budget.alertThreshold = 2), /alertThreshold/],
  ];
  it.each(bad)('refuses %s', (_name, mutate, message) => {
    const c = validClaim();
    mutate(c);
    const errs = claims.errors(c);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs.join('\n')).toMatch(message);
  });

  it('zod mirror agrees with the schema on defaults', () => {
    const parsed = deploymentSpecSchema.parse({ repository: { url: 'https://x.io/a/b' }, cloudProvider: 'p', budget: { maxMonthlyCost: 10 } });
    expect(parsed).toMatchObject({ strategy: 'auto', prompt: '', policies: [], budget: { alertThreshold: 0.8, enforcementMode: 'soft' } });
  });
});

describe('function input CRD', () => {
  const inputCrd = readYamlDocs(join(ROOT, 'package', 'input', 'fn.scai.io_inputs.yaml'))[0]!;
  it('is a CRD for fn.scai.io/v1alpha1 Input', () => {
    expect(inputCrd.kind).toBe('CustomResourceDefinition');
    expect(inputCrd.spec.group).toBe('fn.scai.io');
    expect(inputCrd.spec.versions[0].name).toBe('v1alpha1');
  });
  it('declares the same defaults as the zod schema', () => {
    const p = inputCrd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    const d = defaultSettings();
    expect(p.ttlSeconds.default).toBe(d.ttlSeconds);
    expect(p.failureTtlSeconds.default).toBe(d.failureTtlSeconds);
    expect(p.retrieval.properties.timeoutMs.default).toBe(d.retrieval.timeoutMs);
    expect(p.retrieval.properties.topK.default).toBe(d.retrieval.topK);
    expect(p.traffic.properties.requestsPerMonth.default).toBe(d.traffic.requestsPerMonth);
  });
  it('accepts a full input and refuses a bad one', () => {
    const v = new CrdValidator();
    v.addCrd(inputCrd);
    expect(v.errors({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { ttlSeconds: 60, retrieval: { timeoutMs: 200 } } })).toEqual([]);
    expect(v.errors({ apiVersion: 'fn.scai.io/v1alpha1', kind: 'Input', spec: { ttlSeconds: -1 } }).join()).toMatch(/ttlSeconds/);
  });
});
