// Zod mirrors of the scai.io XRD schemas (apis/). The API server enforces the XRD; these parse what
// the function receives so that a field the schema let through still fails with its path named.
import { z } from 'zod';
import { STRATEGIES } from '../types.js';

export const POLICY_PATTERN =
  /^(require-https|enable-monitoring|high-availability|allow-public-ssh|deny-strategy:(vm|kubernetes|serverless)|max-replicas:([1-9]|[1-4][0-9]|50))$/;

export const repositorySchema = z.object({
  url: z.string().min(1),
  ref: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  /** Re-decide when the branch named by ref moves (see apis/xdeployments.yaml). */
  followBranch: z.boolean().default(false),
  secretRef: z
    .object({ name: z.string().min(1), namespace: z.string().optional(), key: z.string().optional() })
    .optional(),
});

export const budgetSchema = z.object({
  maxMonthlyCost: z.number().min(10),
  alertThreshold: z.number().min(0.1).max(1).default(0.8),
  enforcementMode: z.enum(['soft', 'hard']).default('soft'),
});

export const deploymentSpecSchema = z.object({
  repository: repositorySchema,
  /** A prebuilt image to run; without it the composition builds one (apis/xdeployments.yaml). */
  image: z.string().min(1).max(512).optional(),
  prompt: z.string().max(2000).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters').default(''),
  cloudProvider: z.string().min(1),
  region: z.string().min(1).optional(),
  budget: budgetSchema.optional(),
  policies: z
    .array(z.string().regex(POLICY_PATTERN, 'unknown policy (see apis/xdeployments.yaml for the list)'))
    .default([]),
  strategy: z.enum(['auto', ...STRATEGIES]).default('auto'),
  /** Compose this revision of status.history again (rollback.ts); not part of the inputs hash. */
  decisionRevision: z.number().int().min(1).optional(),
});
export type DeploymentSpec = z.infer<typeof deploymentSpecSchema>;

export const cloudProviderSpecSchema = z.object({
  type: z.enum(['aws', 'gcp']),
  credentials: z
    .object({
      source: z.enum(['Secret', 'IRSA', 'WebIdentity', 'InjectedIdentity', 'ImpersonateServiceAccount']).optional(),
      secretRef: z.object({ name: z.string(), namespace: z.string().optional(), key: z.string().optional() }).optional(),
      webIdentity: z.object({ roleARN: z.string(), roleSessionName: z.string().optional() }).optional(),
      assumeRole: z.object({ roleARN: z.string(), externalID: z.string().optional() }).optional(),
      impersonateServiceAccount: z.string().optional(),
    })
    .optional(),
  projectId: z.string().optional(),
  defaultRegion: z.string().min(1),
  quotas: z
    .object({
      maxInstances: z.number().int().min(1).optional(),
      maxNodes: z.number().int().min(1).optional(),
      maxMonthlyCostPerDeployment: z.number().min(0).optional(),
    })
    .default({}),
  costControl: z
    .object({
      /** The team's monthly budget across its Deployments on this CloudProvider (decision/team-budget.ts). */
      monthlyBudget: z.number().min(0).optional(),
      /** Unset = hard (decision/team-budget.ts); no default here, so that existing specs hash as before. */
      enforcementMode: z.enum(['soft', 'hard']).optional(),
      alertThreshold: z.number().min(0).max(1).optional(),
    })
    .default({}),
  tags: z.record(z.string(), z.string()).default({}),
});
export type CloudProviderSpec = z.infer<typeof cloudProviderSpecSchema>;

/** Formats a zod error as "field.path: message; …" so users see which field is wrong. */
export function describeZodError(prefix: string, error: z.ZodError): string {
  const parts = error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
  return parts.join('; ');
}
