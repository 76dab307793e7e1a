// Explicit, ordered strategy rules. Each rule that applies adds points to strategies and leaves a
// reason. They key on what the analysis and the prompt establish, never on counts alone.
import type { Strategy } from '../types.js';
import type { DecisionFacts } from './facts.js';
import { at, onePairOfOneBuild } from './feasibility.js';

export interface RuleHit {
  rule: string;
  points: Partial<Record<Strategy, number>>;
  reason: string;
}

interface Rule {
  id: string;
  apply(f: DecisionFacts): Omit<RuleHit, 'rule'> | null;
}

/** EKS/GKE control plane alone: 730 h × $0.10. */
export const KUBERNETES_FLOOR = 73;

export const RULES: readonly Rule[] = [
  {
    id: 'simple-default',
    apply: () => ({ points: { vm: 1 }, reason: 'a single VM is the simplest thing to run' }),
  },
  {
    id: 'prompt-long-lived',
    apply: (f) => {
      const why = [f.intent.websockets && 'websockets', f.intent.longRunning && 'long-running work'].filter(Boolean);
      return why.length
        ? { points: { serverless: -3, kubernetes: 1 }, reason: `the prompt asks for ${why.join(' and ')}, which outlive a request (${f.intent.signals.join(', ')})` }
        : null;
    },
  },
  {
    id: 'serverless-adapter',
    apply: (f) =>
      f.analysis.serverlessAdapter
        ? { points: { serverless: 2 }, reason: `built to run as a function: ${f.analysis.serverlessAdapter.name} (${f.analysis.serverlessAdapter.source})` }
        : null,
  },
  {
    // A cluster for one process buys nothing at a team's budget, unless the prompt asks for scale.
    id: 'single-service-no-cluster',
    apply: (f) =>
      (f.analysis.services?.length ?? 1) <= 1 && f.intent.traffic !== 'high' && !f.intent.highAvailability
        ? { points: { kubernetes: -3 }, reason: 'one service: a cluster control plane buys nothing for a single process' }
        : null,
  },
  {
    // Two services of one build naming no background role may be one program run two ways: weighed as one process.
    id: 'one-build-pair-no-cluster',
    apply: (f) =>
      onePairOfOneBuild(f.analysis.services ?? []) && f.intent.traffic !== 'high' && !f.intent.highAvailability
        ? { points: { kubernetes: -3 }, reason: `2 first-party services of one build and no background role (${(f.analysis.services ?? []).map(at).join(', ')}), perhaps one program run two ways: one VM runs both` }
        : null,
  },
  {
    id: 'traffic-shape',
    apply: (f) => {
      switch (f.intent.traffic) {
        case 'spiky':
          return { points: { serverless: 2 }, reason: 'spiky traffic: serverless scales to zero and back' };
        case 'low':
          return { points: { serverless: 2, kubernetes: -1 }, reason: 'low traffic: pay per request instead of idle servers' };
        case 'high':
          return { points: { kubernetes: 2, serverless: -1 }, reason: 'steady high traffic: reserved capacity is cheaper than per-request billing' };
        default:
          return null;
      }
    },
  },
  {
    id: 'high-availability',
    apply: (f) =>
      f.intent.highAvailability || f.policies.includes('high-availability')
        ? { points: { kubernetes: 1, serverless: 1 }, reason: 'high availability: multi-zone by construction' }
        : null,
  },
  {
    id: 'heavy-app',
    apply: (f) =>
      f.weight === 'heavy'
        ? { points: { kubernetes: 2, ...(f.analysis.serverlessAdapter ? {} : { serverless: -2 }) }, reason: `heavy app (${f.analysis.dependencies.length} dependencies, ${f.analysis.stateful.length} backing services)` }
        : null,
  },
  {
    id: 'monolith-framework',
    // (Not one its authors made into a function or a Cloud Run service: that adapter is their answer.)
    apply: (f) =>
      (f.analysis.framework === 'django' || f.analysis.framework === 'rails') && !f.analysis.serverlessAdapter
        ? { points: { vm: 2, serverless: -1 }, reason: `${f.analysis.framework} monolith runs best as a long-lived process` }
        : null,
  },
  {
    id: 'static-site',
    apply: (f) =>
      f.analysis.kind === 'static'
        ? { points: { serverless: 3, kubernetes: -2 }, reason: 'static files: object storage behind a CDN serves them without servers' }
        : null,
  },
  {
    id: 'container-ready',
    apply: (f) =>
      f.analysis.hasDockerfile
        ? f.cloud === 'gcp'
          ? { points: { kubernetes: 1, serverless: 1 }, reason: 'Dockerfile present: runs as a container (GKE or Cloud Run)' }
          : { points: { kubernetes: 0.5 }, reason: 'Dockerfile present: ready for a container platform' }
        : null,
  },
  {
    id: 'many-backing-services',
    apply: (f) =>
      f.analysis.hasCompose && f.analysis.stateful.length >= 2
        ? { points: { kubernetes: 1 }, reason: `compose file with ${f.analysis.stateful.join(', ')}` }
        : null,
  },
  {
    id: 'kubernetes-floor',
    apply: (f) =>
      (f.budget.limit !== undefined && f.budget.limit < KUBERNETES_FLOOR * 1.5) || f.intent.costSensitive
        ? { points: { kubernetes: -3 }, reason: `a managed Kubernetes control plane alone costs $${KUBERNETES_FLOOR}/month` }
        : null,
  },
  {
    // Outcome-weighted vote: each neighbour adds 2 × similarity to its strategy, scaled by its
    // outcome (failed counts against) and its users' votes. The reason cites the winning group the
    // way a person would: "3 similar deployment(s) succeeded on serverless at up to $40/month (closest …)".
    id: 'neighbors',
    apply: (f) => {
      if (f.neighbors.length === 0) return null;
      const points: Partial<Record<Strategy, number>> = {};
      for (const n of f.neighbors) {
        const sign = n.outcome === 'success' ? 1 : n.outcome === 'degraded' ? 0.25 : -1;
        const feedback = 1 + 0.25 * Math.max(-2, Math.min(2, n.feedback ?? 0));
        points[n.strategy] = (points[n.strategy] ?? 0) + 2 * n.similarity * sign * feedback;
      }
      for (const k of Object.keys(points) as Strategy[]) points[k] = Math.round((points[k] ?? 0) * 100) / 100;
      const ok = f.neighbors.filter((n) => n.outcome === 'success');
      const failed = f.neighbors.filter((n) => n.outcome === 'failed');
      const best = (Object.entries(points) as [Strategy, number][]).sort((a, b) => b[1] - a[1])[0];
      const group = best ? ok.filter((n) => n.strategy === best[0]) : [];
      const top = group[0];
      const costs = group.map((n) => n.costMonthly).filter((c): c is number => c !== undefined);
      const parts = [
        top
          ? `${group.length} similar deployment(s) succeeded on ${top.strategy}${costs.length ? ` at up to $${Math.max(...costs).toFixed(0)}/month` : ''} (closest ${top.name}, similarity ${top.similarity.toFixed(2)})`
          : `${f.neighbors.length} similar deployment(s) did not succeed`,
        ...(top && ok.length > group.length ? [`${ok.length - group.length} more succeeded on other strategies`] : []),
        ...(failed.length ? [`${failed.length} similar failed on ${[...new Set(failed.map((n) => n.strategy))].join(', ')}`] : []),
      ];
      return { points, reason: parts.join('; ') };
    },
  },
];

export function applyRules(facts: DecisionFacts): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const r of RULES) {
    const h = r.apply(facts);
    if (h) hits.push({ rule: r.id, ...h });
  }
  return hits;
}
