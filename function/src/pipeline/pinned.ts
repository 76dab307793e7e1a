// Pinned decisions: what a decision depended on is hashed; the decision itself lives in the XR
// status. A render whose hash matches the pinned one reuses the decision without recomputing.
import { z } from 'zod';
import type { CloudProviderSpec, DeploymentSpec } from '../api/claim.js';
import type { FunctionSettings } from '../api/input.js';
import { jsonDigest } from '../util/canonical.js';
import { ENGINE } from '../decision/decide.js';
import { STRATEGIES } from '../types.js';

/** Bump when the meaning of the hashed fields changes, so every claim re-decides once. */
export const HASH_VERSION = 1;

export interface HashInputs {
  spec: DeploymentSpec;
  cloudProviderName: string;
  provider: CloudProviderSpec;
  settings: FunctionSettings;
  commit?: string;
}

export function inputsHash(h: HashInputs): string {
  const { repository, prompt, region, budget, policies, strategy, image } = h.spec;
  const doc = {
    v: HASH_VERSION,
    engine: ENGINE,
    // secretRef changes how the repository is read, not what it holds: not hashed.
    repository: { url: repository.url, ref: repository.ref, path: repository.path },
    prompt,
    region,
    budget,
    policies: [...policies].sort(),
    strategy,
    image,
    // Credentials and the team budget change how a decision is made or allowed, not what it is: not
    // hashed (a new team budget does not re-decide every Deployment of the team).
    cloudProvider: { name: h.cloudProviderName, ...h.provider, credentials: undefined, costControl: { ...h.provider.costControl, monthlyBudget: undefined, enforcementMode: undefined } },
    traffic: h.settings.traffic,
    commit: h.commit,
  };
  return jsonDigest(doc);
}

export const configSchema = z
  .object({
    port: z.number(),
    healthCheckPath: z.string(),
    runtime: z.string(),
    highAvailability: z.boolean(),
  })
  .passthrough();

/** What a decision composes besides its strategy and config (ComposeTarget). */
export const targetSchema = z.object({
  cloud: z.enum(['aws', 'gcp']),
  region: z.string(),
  policies: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  repository: z.object({ url: z.string(), ref: z.string().optional(), path: z.string().optional() }),
  image: z.string().optional(),
});

/** The part of status.decision / status.deployment a pinned render needs; everything else is carried verbatim. */
export const pinnedSchema = z.object({
  deployment: z
    .object({
      strategy: z.enum(STRATEGIES),
      reason: z.string(),
      confidence: z.number(),
      alternativeStrategies: z.array(z.unknown()),
      config: configSchema,
    })
    .passthrough(),
  decision: z
    .object({
      inputsHash: z.string().min(1),
      digest: z.string().optional(),
      decidedAt: z.string(),
      engine: z.string(),
      commit: z.string().optional(),
      target: targetSchema,
      /** Its entry in status.history (history.ts); restoredFrom: the entry it composes again (rollback). */
      revision: z.number().int().optional(),
      restoredFrom: z.number().int().optional(),
    })
    .passthrough(),
});
export type Pinned = z.infer<typeof pinnedSchema>;

/** What a pinned decision composes: anyone who edits one of these in status breaks the digest. */
export interface DigestParts {
  strategy: string;
  config: unknown;
  inputsHash: string;
  target: unknown;
  commit?: string | undefined;
}

/**
 * SHA-256 over what the decision composes. Status is writable by anyone with status RBAC; a pin
 * whose digest does not match was edited, and is treated as unreadable (nothing observed is dropped
 * for it, see keepObserved).
 */
export function decisionDigest(d: DigestParts): string {
  return jsonDigest({ v: HASH_VERSION, strategy: d.strategy, config: d.config, inputsHash: d.inputsHash, target: d.target, commit: d.commit });
}

/** Reads the pinned decision from an observed XR status; undefined when absent, unreadable or edited. */
export function readPinned(status: unknown): { pinned?: Pinned; problem?: string } {
  if (!status || typeof status !== 'object' || !('decision' in status)) return {};
  const parsed = pinnedSchema.safeParse(status);
  if (!parsed.success) return { problem: `status.decision is unreadable (${parsed.error.issues[0]?.message ?? 'invalid'}); deciding again` };
  const { deployment, decision } = parsed.data;
  const digest = decisionDigest({ strategy: deployment.strategy, config: deployment.config, inputsHash: decision.inputsHash, target: decision.target, commit: decision.commit });
  if (decision.digest !== digest) {
    return { problem: `status.decision.digest ${decision.digest ? 'does not match status.deployment/decision (edited?)' : 'is missing'}; deciding again` };
  }
  return { pinned: parsed.data };
}
