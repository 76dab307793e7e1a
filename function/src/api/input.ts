// The function's input (package/input/fn.scai.io_inputs.yaml), typed with zod. Every field has a
// default so a Composition may omit the input entirely.
import { z } from 'zod';
import { llmSettingsSchema } from '../llm/config.js';

export const INPUT_API_VERSION = 'fn.scai.io/v1alpha1';
export const INPUT_KIND = 'Input';

/** Retrieval defaults: the render's budget for the RAG lookup, and how many neighbours it asks for. */
export const RETRIEVAL_DEFAULTS = { timeoutMs: 300, topK: 5 } as const;

/**
 * The one home of the repository limits: the zod schema's and the CRD's defaults (test/repo-source.test.ts
 * checks they agree) and the fetchers' defaults (repo/git.ts, repo/snapshot.ts) all come from here.
 */
export const REPOSITORY_DEFAULTS = {
  allowedHosts: [] as string[],
  timeoutSeconds: 60,
  maxFetchBytes: 268_435_456,
  maxTreeEntries: 100_000,
  maxFiles: 10_000,
  maxFileBytes: 262_144,
};

const repositoriesSchema = z.object({
  /**
   * Hosts (`git.internal`, `git.internal:8443`), IPs or CIDRs (`10.0.0.0/8`) a repository may live on
   * although they resolve to loopback, private or link-local addresses; also the only hosts that may
   * be fetched over plain http. Empty: only public hosts over https/ssh.
   */
  allowedHosts: z.array(z.string().min(1).max(253)).max(64).default(REPOSITORY_DEFAULTS.allowedHosts),
  /** Bound of each git call (resolve, fetch). */
  timeoutSeconds: z.number().int().min(1).max(600).default(REPOSITORY_DEFAULTS.timeoutSeconds),
  /** Bytes the fetched objects may take on disk; git is killed beyond. */
  maxFetchBytes: z.number().int().min(1_048_576).max(4_294_967_296).default(REPOSITORY_DEFAULTS.maxFetchBytes),
  /** Files the fetched tree may list; more is refused (zip-bomb-like repositories). */
  maxTreeEntries: z.number().int().min(100).max(1_000_000).default(REPOSITORY_DEFAULTS.maxTreeEntries),
  /** Files read for the analysis, shallowest first; the rest is skipped and reported as evidence. */
  maxFiles: z.number().int().min(10).max(100_000).default(REPOSITORY_DEFAULTS.maxFiles),
  /** Bytes read per file; larger files are skipped (and not even downloaded when the server supports filters). */
  maxFileBytes: z.number().int().min(1024).max(16_777_216).default(REPOSITORY_DEFAULTS.maxFileBytes),
});

export const functionInputSchema = z.object({
  apiVersion: z.literal(INPUT_API_VERSION).optional(),
  kind: z.literal(INPUT_KIND).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  spec: z
    .object({
      /** TTL of a response whose decision is pinned; Crossplane may cache it that long. */
      ttlSeconds: z.number().int().min(0).max(86_400).default(300),
      /** TTL after a failure, so the next attempt comes soon. */
      failureTtlSeconds: z.number().int().min(0).max(3_600).default(30),
      retrieval: z
        .object({
          enabled: z.boolean().default(true),
          timeoutMs: z.number().int().min(10).max(10_000).default(RETRIEVAL_DEFAULTS.timeoutMs),
          topK: z.number().int().min(1).max(20).default(RETRIEVAL_DEFAULTS.topK),
        })
        .prefault({}),
      traffic: z
        .object({
          /** Requests a month assumed for serverless pricing when the prompt says nothing. */
          requestsPerMonth: z.number().int().min(0).default(1_000_000),
          avgDurationMs: z.number().int().min(1).default(200),
        })
        .prefault({}),
      /** Fetching the claim's repository: where it may live and how much of it is read. */
      repositories: repositoriesSchema.prefault({}),
      /** The LLM step (an Ollama server): off unless llm.host is set. Not hashed: turning it on re-decides nothing pinned. */
      llm: llmSettingsSchema.prefault({}),
      /** Composed XInfrastructure gets this compositionUpdatePolicy (Automatic by Crossplane's default). */
      compositionUpdatePolicy: z.enum(['Automatic', 'Manual']).optional(),
    })
    // An absent object is parsed as {}: each default lives once, on its field.
    .prefault({}),
});
export type FunctionInput = z.infer<typeof functionInputSchema>;
export type FunctionSettings = FunctionInput['spec'];

export function defaultSettings(): FunctionSettings {
  return functionInputSchema.parse({}).spec;
}
