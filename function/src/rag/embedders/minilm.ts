// all-MiniLM-L6-v2 (384-d) through @xenova/transformers, from local files only:
// <SCAI_MODEL_DIR>/Xenova/all-MiniLM-L6-v2/{config.json, tokenizer*.json, onnx/model_quantized.onnx}.
import { MINILM_ID, once, type Embedder } from '../embedder.js';

export function miniLmEmbedder(modelDir: string): Embedder {
  const load = once(async () => {
    const t = await import('@xenova/transformers');
    t.env.allowRemoteModels = false; // never fetch weights at run time
    t.env.allowLocalModels = true;
    t.env.localModelPath = modelDir;
    return t.pipeline('feature-extraction', MINILM_ID, { quantized: true });
  });
  return {
    model: MINILM_ID,
    dimension: 384,
    async embed(texts) {
      if (texts.length === 0) return [];
      const extract = await load();
      const out = await extract(texts, { pooling: 'mean', normalize: true });
      return out.tolist() as number[][];
    },
    async warm() {
      await load();
    },
  };
}
