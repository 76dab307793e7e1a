// Policy checks that need the decided configuration. Policies that only change rendering
// (require-https, enable-monitoring, allow-public-ssh) pass through to the compositions.
import type { Decision } from '../types.js';

export function maxReplicasPolicy(policies: readonly string[]): number | undefined {
  const caps = policies.filter((p) => p.startsWith('max-replicas:')).map((p) => Number(p.split(':')[1]));
  return caps.length ? Math.min(...caps) : undefined;
}

/** Returns the violations of a decision; empty when the decision complies. */
export function policyViolations(decision: Decision, policies: readonly string[]): string[] {
  const out: string[] = [];
  const c = decision.config;
  const ha = policies.includes('high-availability') || c.highAvailability;
  if (ha && decision.strategy === 'vm' && (c.minInstances ?? 1) < 2) {
    out.push(`high availability needs at least 2 instances but the cap allows ${c.minInstances ?? 1} (max-replicas or CloudProvider quotas.maxInstances)`);
  }
  if (ha && decision.strategy === 'kubernetes' && (c.replicas ?? 1) < 2) {
    out.push(`high availability needs at least 2 replicas but the cap allows ${c.replicas ?? 1}`);
  }
  return out;
}
