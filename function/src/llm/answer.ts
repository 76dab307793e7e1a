// What the model must answer: a JSON schema handed to Ollama as `format` (its grammar constrains the
// tokens) and the zod schema that checks the answer again, since a server or model may ignore
// `format`. The sizes it may propose are a fixed allowlist; guardrails.ts clamps them further.
import { z } from 'zod';
import { INSTANCE_LADDER } from '../cost/prices.js';
import { STRATEGIES, type Cloud, type Strategy } from '../types.js';

/** Sizes the model may propose, whatever it is told. Counts are further capped by policies and quotas. */
export const SIZE_ALLOWLIST = {
  instances: { min: 1, max: 20 },
  replicas: { min: 1, max: 50 },
  nodes: { min: 1, max: 10 },
  cpu: ['250m', '500m', '1000m', '2000m'],
  memoryMb: [256, 512, 1024, 2048],
} as const;

/** Bounds of the free text kept from an answer (the rest is cut). */
export const ANSWER_TEXT_MAX = 600;
export const ANSWER_ALTERNATIVES_MAX = 3;

const count = z.number().int();
export const answerSchema = z.object({
  strategy: z.enum(STRATEGIES),
  config: z
    .object({
      instanceType: z.string().max(64).optional(),
      minInstances: count.optional(),
      maxInstances: count.optional(),
      replicas: count.optional(),
      nodeCount: count.optional(),
      cpu: z.string().max(16).optional(),
      memoryMb: count.optional(),
    })
    .partial()
    .default({}),
  confidence: z.number().min(0).max(1),
  reasoning: z.string().transform((s) => s.slice(0, ANSWER_TEXT_MAX)),
  alternatives: z
    .array(z.object({ strategy: z.enum(STRATEGIES), reason: z.string().transform((s) => s.slice(0, ANSWER_TEXT_MAX)) }))
    .default([])
    .transform((a) => a.slice(0, ANSWER_ALTERNATIVES_MAX)),
});
export type LlmAnswer = z.infer<typeof answerSchema>;

/** The JSON schema for Ollama's `format`: only the strategies the engine found feasible, only catalog sizes. */
export function answerJsonSchema(feasible: readonly Strategy[], cloud: Cloud): Record<string, unknown> {
  const int = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max });
  return {
    type: 'object',
    properties: {
      strategy: { type: 'string', enum: [...feasible] },
      config: {
        type: 'object',
        properties: {
          instanceType: { type: 'string', enum: INSTANCE_LADDER[cloud] },
          minInstances: int(SIZE_ALLOWLIST.instances.min, SIZE_ALLOWLIST.instances.max),
          maxInstances: int(SIZE_ALLOWLIST.instances.min, SIZE_ALLOWLIST.instances.max),
          replicas: int(SIZE_ALLOWLIST.replicas.min, SIZE_ALLOWLIST.replicas.max),
          nodeCount: int(SIZE_ALLOWLIST.nodes.min, SIZE_ALLOWLIST.nodes.max),
          cpu: { type: 'string', enum: [...SIZE_ALLOWLIST.cpu] },
          memoryMb: { type: 'integer', enum: [...SIZE_ALLOWLIST.memoryMb] },
        },
      },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      // Shorter than what is kept: a small model pads strings until num_predict cuts the JSON.
      reasoning: { type: 'string', maxLength: 300 },
      alternatives: {
        type: 'array',
        maxItems: ANSWER_ALTERNATIVES_MAX,
        items: { type: 'object', properties: { strategy: { type: 'string', enum: [...STRATEGIES] }, reason: { type: 'string', maxLength: 200 } }, required: ['strategy', 'reason'] },
      },
    },
    required: ['strategy', 'config', 'confidence', 'reasoning'],
  };
}

export type ParsedAnswer = { ok: true; answer: LlmAnswer } | { ok: false; problem: string };

/** The model's raw text as an answer, or why it is not one (invalid JSON, a schema violation). */
export function parseAnswer(raw: string): ParsedAnswer {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    const shown = raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
    return { ok: false, problem: `invalid JSON (${raw.length} chars: ${JSON.stringify(shown)})` };
  }
  const r = answerSchema.safeParse(json);
  if (!r.success) return { ok: false, problem: `answer does not match the schema: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  return { ok: true, answer: r.data };
}
