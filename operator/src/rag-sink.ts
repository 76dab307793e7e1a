// OutcomeSink on the RAG store (function/src/rag): PostgreSQL through `pg` when SCAI_DATABASE_URL is
// set (what the Deployment uses), else embedded PGlite in SCAI_RAG_DIR (one process owns it).
//
// The store is opened lazily and reopened after a failed open: the controller must start, lead and
// keep its finalizers while the database is down, and record once it is back. A `pg` pool reconnects
// by itself after a server restart, so an open store is kept across query errors.
import type { Embedder } from '../../function/src/rag/embedder.js';
import type { OpenOptions } from '../../function/src/rag/open.js';
import type { DeploymentRecord, RecordKey } from '../../function/src/rag/record.js';
import type { RagStore } from '../../function/src/rag/store.js';
import type { OutcomeSink } from './sink.js';

export interface RagSinkOptions {
  databaseUrl?: string;
  ragDir?: string;
  /** Must be the model the function retrieves with (same SCAI_MODEL_DIR); tests pass a small one. */
  embedder?: Embedder;
}

export function ragOutcomeSink(o: RagSinkOptions = {}, env: NodeJS.ProcessEnv = process.env): OutcomeSink & { store(): Promise<RagStore> } {
  let opening: Promise<RagStore> | undefined;
  const store = () => {
    // Imported on first use: the store's modules (PGlite, pg, embedders) cost memory a standby never needs.
    opening ??= import('../../function/src/rag/open.js').then(({ openStore }) => openStore(
      {
        ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
        ...(o.ragDir ? { ragDir: o.ragDir } : {}),
        ...(o.embedder ? { embedder: o.embedder } : {}),
      } satisfies OpenOptions,
      env,
    )).catch((e) => {
      opening = undefined; // the next call tries again
      throw e;
    });
    return opening;
  };
  return {
    store,
    async recordOutcome(r: DeploymentRecord) {
      await (await store()).recordOutcome(r);
    },
    async recordFeedback(key: RecordKey, value: number) {
      await (await store()).recordFeedback(key, value);
    },
    async recordCost(key: RecordKey, costMonthly: number) {
      await (await store()).recordCost(key, costMonthly);
    },
    async close() {
      const s = opening;
      opening = undefined;
      if (s) await (await s.catch(() => undefined))?.close();
    },
  };
}
