// The function's input (package/input/fn.scai.io_inputs.yaml), typed with zod. Every field has a
// default so a Composition may omit the input entirely.
import { z } from 'zod';

export const INPUT_API_VERSION = 'fn.scai.io/v1alpha1';
export const INPUT_KIND = 'Input';

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
          timeoutMs: z.number().int().min(10).max(10_000).default(300),
          topK: z.number().int().min(1).max(20).default(5),
        })
        .default({ enabled: true, timeoutMs: 300, topK: 5 }),
      traffic: z
        .object({
          /** Requests a month assumed for serverless pricing when the prompt says nothing. */
          requestsPerMonth: z.number().int().min(0).default(1_000_000),
          avgDurationMs: z.number().int().min(1).default(200),
        })
        .default({ requestsPerMonth: 1_000_000, avgDurationMs: 200 }),
      /** Composed XInfrastructure gets this compositionUpdatePolicy (Automatic by Crossplane's default). */
      compositionUpdatePolicy: z.enum(['Automatic', 'Manual']).optional(),
    })
    .default({
      ttlSeconds: 300,
      failureTtlSeconds: 30,
      retrieval: { enabled: true, timeoutMs: 300, topK: 5 },
      traffic: { requestsPerMonth: 1_000_000, avgDurationMs: 200 },
    }),
});
export type FunctionInput = z.infer<typeof functionInputSchema>;
export type FunctionSettings = FunctionInput['spec'];

export function defaultSettings(): FunctionSettings {
  return functionInputSchema.parse({}).spec;
}
