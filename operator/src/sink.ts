// The narrow interface the controller needs from the RAG store, so the reconciler can be read (and
// reasoned about) without the store's SQL: three idempotent writes keyed by deployment UID + decision.
import type { DeploymentRecord, RecordKey } from '../../lib/rag/record.js';

export interface OutcomeSink {
  /** Insert or update the record of (deploymentUid, decisionHash); never duplicates, keeps votes. */
  recordOutcome(r: DeploymentRecord): Promise<void>;
  /** Sets (not increments) the net vote; the outcome must have been recorded first. */
  recordFeedback(key: RecordKey, value: number): Promise<void>;
  /** The measured monthly cost, replacing the estimate. */
  recordCost(key: RecordKey, costMonthly: number): Promise<void>;
  close(): Promise<void>;
}
