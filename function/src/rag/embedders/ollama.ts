// Embeddings from an Ollama server's /api/embed, so the function holds no model in process. The
// dimension comes from the model's metadata (/api/show: <arch>.embedding_length), which does not
// load the weights; the recorded name is prefixed so its vectors never pass for an in-process model's.
import { Ollama } from 'ollama';
import { normalize, type Embedder } from '../embedder.js';

export interface OllamaEmbedderOptions {
  host: string;
  model: string;
  timeoutMs: number;
  /** Texts per /api/embed request (the store's reindex and backfill embed in batches). */
  batch?: number;
  fetchImpl?: typeof fetch;
}

export const OLLAMA_EMBED_PREFIX = 'ollama/';
export const DEFAULT_OLLAMA_EMBED_MODEL = 'scai-minilm:l6-v2';
export const DEFAULT_OLLAMA_EMBED_TIMEOUT_MS = 60_000; // a batch of 64 on a busy 2-core node took > 30 s
const DEFAULT_BATCH = 64;

function client(o: OllamaEmbedderOptions): Ollama {
  const f = o.fetchImpl ?? fetch;
  // The client passes no signal on non-streaming calls: the bound is added here.
  return new Ollama({ host: o.host, fetch: (url, init) => f(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) }) });
}

function explain(e: unknown, o: OllamaEmbedderOptions, what: string): Error {
  const err = e as { name?: string; message?: string; status_code?: number; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return new Error(`Ollama embeddings at ${o.host}: no answer to ${what} within ${o.timeoutMs} ms`, { cause: e });
  if (err?.status_code === 404) return new Error(`Ollama embeddings at ${o.host}: model "${o.model}" not found (ollama pull ${o.model})`, { cause: e });
  return new Error(`Ollama embeddings at ${o.host}: ${what} failed: ${err?.cause?.code ?? ''} ${err?.message ?? String(e)}`.replace(/\s+/g, ' ').trim(), { cause: e });
}

/** Reads the model's embedding length; fails with a message naming host and model. */
export async function ollamaEmbeddingDimension(o: OllamaEmbedderOptions): Promise<number> {
  let info: Record<string, unknown>;
  try {
    info = (await client(o).show({ model: o.model })).model_info as unknown as Record<string, unknown>;
  } catch (e) {
    throw explain(e, o, '/api/show');
  }
  const arch = info?.['general.architecture'];
  const dim = Number(info?.[`${String(arch)}.embedding_length`]);
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`Ollama embeddings at ${o.host}: model "${o.model}" reports no embedding length (architecture ${String(arch)})`);
  return dim;
}

export async function ollamaEmbedder(o: OllamaEmbedderOptions): Promise<Embedder> {
  const dimension = await ollamaEmbeddingDimension(o);
  const batch = Math.max(1, o.batch ?? DEFAULT_BATCH);
  const ollama = client(o);
  const call = async (input: string[]): Promise<number[][]> => {
    let out: number[][];
    try {
      out = (await ollama.embed({ model: o.model, input, truncate: true })).embeddings;
    } catch (e) {
      throw explain(e, o, '/api/embed');
    }
    if (out.length !== input.length || out.some((v) => v.length !== dimension)) {
      throw new Error(`Ollama embeddings at ${o.host}: model "${o.model}" returned ${out.length} vectors of ${out[0]?.length ?? 0} dimensions for ${input.length} texts, expected ${dimension}`);
    }
    return out.map(normalize);
  };
  return {
    model: `${OLLAMA_EMBED_PREFIX}${o.model}`,
    dimension,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batch) out.push(...(await call(texts.slice(i, i + batch))));
      return out;
    },
    async warm() {
      // An empty input loads the model on the server without embedding anything.
      try {
        await ollama.embed({ model: o.model, input: [] });
      } catch (e) {
        throw explain(e, o, '/api/embed');
      }
    },
  };
}
