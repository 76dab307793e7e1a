// The store as the controller uses it: migrations and the three record writes, with no embedding
// model. Rows go in without a vector; the function, which holds the model for retrieval anyway,
// embeds them in the background (RagStore.embedPending via startEmbedBackfill), and `scai rag
// reindex` does the same by hand. The controller so stays small: no model weights, no inference.
import type { Db } from './db.js';
import { openDb, storeLocation, type LocationOptions } from './location.js';
import { migrate } from './migrate.js';
import { checkRecord, type DeploymentRecord, type RecordKey } from './record.js';
import { recordText } from './text.js';
import { setCost, setFeedback, upsertRows } from './writes.js';

export class RecordingStore {
  private constructor(readonly db: Db) {}

  /** Migrates (never adopts a model: the first store opened with one does that). */
  static async open(db: Db): Promise<RecordingStore> {
    await migrate(db);
    return new RecordingStore(db);
  }

  /** Idempotent per (deploymentUid, decisionHash); keeps votes and, for unchanged text, the vector. */
  async recordOutcome(r: DeploymentRecord): Promise<{ created: boolean }> {
    const rec: DeploymentRecord = { source: 'controller', ...r };
    checkRecord(rec, 'outcome');
    const { inserted } = await upsertRows(this.db, [{ record: rec, content: recordText(rec), embedding: null }], null);
    return { created: inserted === 1 };
  }

  recordFeedback(key: RecordKey, feedback: number): Promise<void> {
    return setFeedback(this.db, key, feedback);
  }

  recordCost(key: RecordKey, costMonthly: number): Promise<void> {
    return setCost(this.db, key, costMonthly);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** The controller's store, where storeLocation says (SCAI_DATABASE_URL, else SCAI_RAG_DIR). */
export async function openRecordingStore(o: LocationOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<RecordingStore> {
  const db = await openDb(storeLocation(o, env));
  try {
    return await RecordingStore.open(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
