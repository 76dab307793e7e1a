// Builds RunFunctionRequests the way Crossplane does, for in-process and gRPC tests.
import { join } from 'node:path';
import { RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { claimToXr } from '../../function/src/cli/claims.js';
import { CLOUD_PROVIDER_KEY } from '../../function/src/pipeline/run.js';
import type { RepoSource } from '../../function/src/repo/source.js';
import { localDirSource } from '../../function/src/repo/source.js';

import type { LooseObj as Obj } from '../../lib/obj.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FLASK_APP = join(ROOT, 'examples', 'apps', 'flask-app');

export function claim(spec: Obj = {}, name = 'web'): Obj {
  return {
    apiVersion: 'scai.io/v1alpha1',
    kind: 'Deployment',
    metadata: { name, namespace: 'team-a' },
    spec: {
      repository: { url: 'https://git.example.com/acme/web.git', ref: 'main' },
      prompt: 'Flask API, highly available, under $300/month',
      cloudProvider: 'aws-team-a',
      budget: { maxMonthlyCost: 300, alertThreshold: 0.8, enforcementMode: 'soft' },
      policies: ['require-https'],
      strategy: 'auto',
      ...spec,
    },
  };
}

export function cloudProvider(spec: Obj = {}, name = 'aws-team-a'): Obj {
  return claimToXr({
    apiVersion: 'scai.io/v1alpha1',
    kind: 'CloudProvider',
    metadata: { name, namespace: 'team-a' },
    spec: { type: 'aws', defaultRegion: 'us-east-1', tags: { team: 'a' }, ...spec },
  });
}

export interface ReqOptions {
  xr: Obj;
  status?: Obj;
  /** 'pending' leaves required resources out; null = looked up, not found. */
  provider?: Obj | null | 'pending';
  observed?: Record<string, Obj>;
  input?: Obj;
  /** Send the CloudProvider as Crossplane 1.x does (extra_resources). */
  legacy?: boolean;
}

export function request(o: ReqOptions): RunFunctionRequest {
  const provider = o.provider === undefined ? cloudProvider() : o.provider;
  const found = provider === 'pending' ? undefined : { items: provider ? [{ resource: provider, connectionDetails: {}, ready: 0 }] : [] };
  return RunFunctionRequest.fromPartial({
    meta: { tag: 'test' },
    observed: {
      composite: { resource: o.status ? { ...o.xr, status: o.status } : o.xr },
      resources: Object.fromEntries(Object.entries(o.observed ?? {}).map(([k, v]) => [k, { resource: v }])),
    },
    desired: { composite: { resource: {} }, resources: {} },
    ...(o.input ? { input: o.input } : {}),
    ...(found ? (o.legacy ? { extraResources: { [CLOUD_PROVIDER_KEY]: found } } : { requiredResources: { [CLOUD_PROVIDER_KEY]: found } }) : {}),
  });
}

/** A RepoSource that serves one directory and counts loads (pinned renders must not load). */
export function countingSource(dir = FLASK_APP): RepoSource & { loads: number } {
  const inner = localDirSource(dir);
  const s = {
    loads: 0,
    async load(repo: Parameters<RepoSource['load']>[0]) {
      s.loads++;
      return inner.load(repo);
    },
  };
  return s;
}

export const failingSource: RepoSource = {
  load: async () => {
    throw new Error('cannot fetch https://git.example.com/acme/web.git@main: connection refused');
  },
};

export function desiredStatus(rsp: RunFunctionResponse): Obj {
  return (rsp.desired?.composite?.resource?.status ?? {}) as Obj;
}

export function desiredResources(rsp: RunFunctionResponse): Record<string, Obj> {
  return Object.fromEntries(Object.entries(rsp.desired?.resources ?? {}).map(([k, v]) => [k, v.resource as Obj]));
}

export const NOW = '2026-11-28T12:00:00Z';
