// The LLM step's settings (function Input spec.llm, mirrored in package/input/fn.scai.io_inputs.yaml).
// Off unless a host is set: without one the rules engine decides alone, as before.
import { z } from 'zod';

/** The one home of the defaults: the zod schema's and the CRD's (test/llm-config.test.ts checks they agree). */
export const LLM_DEFAULTS = {
  model: 'qwen2.5-coder:7b',
  timeoutMs: 20_000,
  retries: 1,
  temperature: 0,
  contextSize: 4096,
  maxTokens: 512,
};

const hostSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials, query or fragment, e.g. http://ollama.ollama.svc:11434');

export const llmSettingsSchema = z.object({
  /** Ollama's base URL. Unset: the LLM step is off. */
  host: hostSchema.optional(),
  /** Model name as the server knows it (`ollama list`). */
  model: z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'must be a model name such as qwen2.5-coder:7b').default(LLM_DEFAULTS.model),
  /** Bound of one model call; the decision falls back to the engine's beyond it. */
  timeoutMs: z.number().int().min(50).max(300_000).default(LLM_DEFAULTS.timeoutMs),
  /** Further attempts after a transport error (connection refused or reset, 5xx); never after a timeout or an answer. */
  retries: z.number().int().min(0).max(3).default(LLM_DEFAULTS.retries),
  temperature: z.number().min(0).max(2).default(LLM_DEFAULTS.temperature),
  /** Context window in tokens (Ollama num_ctx). */
  contextSize: z.number().int().min(512).max(131_072).default(LLM_DEFAULTS.contextSize),
  /** Tokens the answer may take (Ollama num_predict); an answer cut short is invalid JSON and falls back. */
  maxTokens: z.number().int().min(16).max(8192).default(LLM_DEFAULTS.maxTokens),
});

export type LlmSettings = z.infer<typeof llmSettingsSchema>;
/** Settings with a host: the step is on. */
export type LlmOn = LlmSettings & { host: string };

export const llmEnabled = (s: LlmSettings): s is LlmOn => s.host !== undefined;

/** How a decision names the model that made it. */
export const llmEngine = (model: string): string => `llm/${model}`;
export const LLM_FALLBACK_ENGINE = 'llm-fallback';
