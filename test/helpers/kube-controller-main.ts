// The controller as tests and the bench run it, out of process: operator/src/run.ts exactly as
// operator/src/main.ts wires it, except for the embedding model, which is a small deterministic hash
// embedder (the production default loads a ~30 MB model on first record). It is the same algorithm as
// hashEmbedder in ./rag.ts, inlined because importing that module would load PGlite into this
// process and inflate the memory the bench measures.
import { createHash } from 'node:crypto';
import type { Embedder } from '../../function/src/rag/embedder.js';
import { loadConfig } from '../../operator/src/config.js';
import { ragOutcomeSink } from '../../operator/src/rag-sink.js';
import { runController } from '../../operator/src/run.js';

const dimension = 64;
const embedder: Embedder = {
  model: `test-hash-${dimension}`,
  dimension,
  async embed(texts) {
    return texts.map((t) => {
      const v = new Array<number>(dimension).fill(0);
      for (const w of t.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) v[createHash('sha256').update(w).digest().readUInt32BE(0) % dimension]! += 1;
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
  },
  async warm() {},
};

const running = await runController(loadConfig(), { sink: ragOutcomeSink({ embedder }) });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void running.stop(sig));
process.exit(await running.done);
