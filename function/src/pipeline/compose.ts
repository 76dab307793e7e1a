// Builds the one resource the function composes: the nested XInfrastructure whose spec carries the
// decided parameters. The KCL composition selected by its labels renders the cloud resources.
import type { DeploymentConfig, Strategy } from '../types.js';

export const XINFRA_API_VERSION = 'scai.io/v1alpha1';
export const XINFRA_KIND = 'XInfrastructure';
/** Composed resource names start with this; the strategy and cloud follow so that a new strategy is a new object. */
export const RESOURCE_PREFIX = 'infrastructure';

export interface ComposeTarget {
  cloud: 'aws' | 'gcp';
  region: string;
  policies: string[];
  tags: Record<string, string>;
  repository: { url: string; ref?: string; path?: string };
}

export interface ComposeInput {
  strategy: Strategy;
  config: DeploymentConfig | Record<string, unknown>;
  target: ComposeTarget;
  commit?: string;
  inputsHash: string;
  /** Identity of the owning XDeployment (and its claim) for names and cost tags. */
  owner: { name: string; uid?: string; claimName?: string; claimNamespace?: string };
  compositionUpdatePolicy?: 'Automatic' | 'Manual';
}

export function resourceName(strategy: Strategy, cloud: string): string {
  return `${RESOURCE_PREFIX}-${strategy}-${cloud}`;
}

export function composeInfrastructure(c: ComposeInput): { name: string; resource: Record<string, unknown> } {
  const appName = c.owner.claimName ?? c.owner.name;
  const tags: Record<string, string> = {
    ...c.target.tags,
    'scai.io/deployment': appName,
    'scai.io/strategy': c.strategy,
  };
  if (c.owner.uid) tags['scai.io/deployment-uid'] = c.owner.uid;
  const labels = { 'scai.io/strategy': c.strategy, 'scai.io/cloud': c.target.cloud };
  const spec: Record<string, unknown> = {
    compositionSelector: { matchLabels: labels },
    strategy: c.strategy,
    cloud: c.target.cloud,
    region: c.target.region,
    app: {
      name: appName,
      ...(c.owner.claimNamespace ? { namespace: c.owner.claimNamespace } : {}),
      repository: c.target.repository.url,
      ...(c.target.repository.ref ? { ref: c.target.repository.ref } : {}),
      ...(c.target.repository.path ? { path: c.target.repository.path } : {}),
      ...(c.commit ? { commit: c.commit } : {}),
    },
    config: c.config,
    policies: c.target.policies,
    tags,
    inputsHash: c.inputsHash,
  };
  if (c.compositionUpdatePolicy) spec.compositionUpdatePolicy = c.compositionUpdatePolicy;
  return {
    name: resourceName(c.strategy, c.target.cloud),
    resource: {
      apiVersion: XINFRA_API_VERSION,
      kind: XINFRA_KIND,
      metadata: { labels },
      spec,
    },
  };
}
