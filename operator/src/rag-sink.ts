// OutcomeSink on the RAG store (its write side, lib/rag): PostgreSQL through `pg` when SCAI_DATABASE_URL is
// set (what the Deployment uses), else embedded PGlite in SCAI_RAG_DIR (one process owns it).
// Records go in without vectors (RecordingStore): the function embeds them with the model it already
// holds, so the controller never loads one.
//
// The store is opened lazily and reopened after a failed open: the controller must start, lead and
// keep its finalizers while the database is down, and record once it is back. A `pg` pool reconnects
// by itself after a server restart, so an open store is kept across query errors.
import type { DeploymentRecord, RecordKey } from '../../lib/rag/record.js';
import type { RecordingStore } from '../../lib/rag/recording-store.js';
import type { OutcomeSink } from './sink.js';

export interface RagSinkOptions {
  databaseUrl?: string;
  ragDir?: string;
}

export function ragOutcomeSink(o: RagSinkOptions = {}, env: NodeJS.ProcessEnv = process.env): OutcomeSink & { store(): Promise<RecordingStore> } {
  let opening: Promise<RecordingStore> | undefined;
  const store = () => {
    // Imported on first use: a standby replica never needs the store's modules.
    opening ??= import('../../lib/rag/recording-store.js').then(({ openRecordingStore }) => openRecordingStore(
      { ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}), ...(o.ragDir ? { ragDir: o.ragDir } : {}) },
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
