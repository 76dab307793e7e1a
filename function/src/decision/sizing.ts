// Sizes a strategy for the app: instance types from the price table's ladder, counts from
// availability and traffic, all capped by policies and CloudProvider quotas.
import { INSTANCE_LADDER } from '../cost/prices.js';
import type { Analysis, DeploymentConfig, Strategy } from '../types.js';
import type { DecisionFacts } from './facts.js';

const DEFAULT_PORTS: Record<string, number> = {
  flask: 5000, django: 8000, fastapi: 8000, express: 3000, nextjs: 3000, rails: 3000,
  // PHP apps report no port of their own; their conventional start command serves on 8000.
  laravel: 8000, symfony: 8000,
};

export function appPort(a: Analysis): number {
  return a.port ?? (a.framework ? DEFAULT_PORTS[a.framework] : undefined) ?? 8080;
}

export function runtimeOf(a: Analysis): string {
  const lang = a.language ?? 'container';
  const v = a.languageVersion?.match(/\d+(\.\d+)?/)?.[0];
  return v ? `${lang}${v}` : lang;
}

const cap = (n: number, limit?: number): number => (limit !== undefined ? Math.min(n, limit) : n);
const pick = (ladder: string[], i: number): string => ladder[Math.max(0, Math.min(ladder.length - 1, i))] as string;

export function isHighlyAvailable(f: DecisionFacts): boolean {
  return f.intent.highAvailability || f.policies.includes('high-availability');
}

export function sizeFor(strategy: Strategy, f: DecisionFacts): DeploymentConfig {
  const a = f.analysis;
  const ha = isHighlyAvailable(f);
  const high = f.intent.traffic === 'high';
  const weightIndex = f.weight === 'light' ? 0 : f.weight === 'medium' ? 1 : 2;
  const base: DeploymentConfig = {
    port: appPort(a),
    healthCheckPath: a.healthCheckPath ?? '/',
    runtime: runtimeOf(a),
    highAvailability: ha,
  };
  if (a.startCommand) base.startCommand = a.startCommand;
  const ladder = INSTANCE_LADDER[f.cloud];

  if (strategy === 'vm') {
    const min = cap(ha || high ? 2 : 1, f.maxReplicas);
    const max = cap(high ? 6 : ha ? 4 : 1, f.maxReplicas);
    return {
      ...base,
      instanceType: pick(ladder, weightIndex + (high ? 1 : 0)),
      minInstances: min,
      maxInstances: Math.max(min, max),
      diskGb: f.weight === 'heavy' ? 30 : 20,
    };
  }
  if (strategy === 'kubernetes') {
    const nodes = cap(ha ? 3 : 2, f.maxNodes);
    const replicas = cap(high ? 4 : ha ? 3 : 2, f.maxReplicas);
    return {
      ...base,
      instanceType: pick(ladder, 2 + (f.weight === 'heavy' || high ? 1 : 0)),
      nodeCount: nodes,
      replicas,
      cpu: ['250m', '500m', '1000m'][weightIndex] as string,
      memoryMb: [256, 512, 1024][weightIndex] as number,
      diskGb: 20,
    };
  }
  const memory = a.language === 'go' ? 256 : [512, 1024, 2048][weightIndex] as number;
  return {
    ...base,
    memoryMb: memory,
    timeoutSeconds: 30,
    maxConcurrency: cap(high ? 1000 : 100, f.maxReplicas !== undefined ? f.maxReplicas * 10 : undefined),
    // Lambda is multi-AZ already; Cloud Run keeps one warm instance so HA apps skip cold starts.
    minInstances: ha && f.cloud === 'gcp' ? 1 : 0,
  };
}
