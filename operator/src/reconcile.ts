// One reconcile of one XDeployment: keep the finalizer, record the outcome once it is known, record
// feedback, and on deletion write the final record before letting the object go.
//
// Idempotence and "no hot loops": every write is derived from the object and from what was already
// recorded (the scai.io/recorded-* annotations, backed by an in-memory copy so a stale cache right
// after a write does not repeat it). A reconcile of an object whose state has not changed writes
// nothing, so the controller's own writes cannot feed back into more work. Store errors throw: the
// queue retries with backoff, and on deletion the finalizer stays until the final record is written.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Outcome as RecordOutcome } from '../../lib/rag/record.js';
import type { Recorder } from './events.js';
import type { Kube } from './kube.js';
import type { Metrics, RecordKind } from './metrics.js';
import type { Outcome } from './queue.js';
import type { OutcomeSink } from './sink.js';
import {
  FEEDBACK,
  FINALIZER,
  NotRecordableError,
  RECORDED_FEEDBACK,
  RECORDED_OUTCOME,
  feedback,
  hasFinalizer,
  health,
  isDeleting,
  mark,
  parseMark,
  recordKey,
  toRecord,
  type XR,
} from './xr.js';

export interface ReconcilerOptions {
  /** How long a deployment must keep failing before it is recorded as failed. */
  failureGraceMs: number;
  /** A deployment not Ready this long after creation is recorded as failed. */
  readyTimeoutMs: number;
  now?: () => number;
}

/** What this process has written per XR UID (the annotations may lag behind in the cache). */
interface Memory {
  outcome?: string;
  feedback?: string;
  final?: boolean;
  firstFailing?: Map<string, number>;
  warned?: string;
}

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

export class Reconciler {
  private readonly mem = new Map<string, Memory>();
  private readonly now: () => number;

  constructor(
    private readonly kube: Pick<Kube, 'applyMetadata'>,
    private readonly sink: OutcomeSink,
    private readonly events: Recorder,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly o: ReconcilerOptions,
  ) {
    this.now = o.now ?? Date.now;
  }

  forget(uid: string): void {
    this.mem.delete(uid);
  }

  private memory(xr: XR): Memory {
    let m = this.mem.get(xr.metadata.uid);
    if (!m) this.mem.set(xr.metadata.uid, (m = {}));
    return m;
  }

  private written(kind: RecordKind): void {
    this.metrics.recordsWritten.inc({ kind });
  }

  /** Writes the controller's metadata if it differs from what the object carries. */
  private async syncMetadata(xr: XR, m: Memory, keepFinalizer: boolean): Promise<void> {
    const annotations: Record<string, string> = {};
    const outcome = m.outcome ?? xr.metadata.annotations?.[RECORDED_OUTCOME];
    const fb = m.feedback ?? xr.metadata.annotations?.[RECORDED_FEEDBACK];
    if (keepFinalizer && outcome) annotations[RECORDED_OUTCOME] = outcome;
    if (keepFinalizer && fb) annotations[RECORDED_FEEDBACK] = fb;
    const cur = xr.metadata.annotations ?? {};
    const same =
      hasFinalizer(xr) === keepFinalizer &&
      (cur[RECORDED_OUTCOME] ?? '') === (annotations[RECORDED_OUTCOME] ?? '') &&
      (cur[RECORDED_FEEDBACK] ?? '') === (annotations[RECORDED_FEEDBACK] ?? '');
    if (same) return;
    // Leaving the finalizer out of the apply removes it: server-side apply drops fields this manager
    // owned and no longer applies, and never touches Crossplane's finalizer or anyone's annotations.
    await this.kube.applyMetadata(xr.metadata.name, { ...(keepFinalizer ? { finalizers: [FINALIZER] } : {}), annotations });
  }

  async reconcile(xr: XR): Promise<Outcome> {
    const m = this.memory(xr);
    if (isDeleting(xr)) return this.finalize(xr, m);

    const key = recordKey(xr);
    let requeueAfterMs: number | undefined;
    if (key) {
      const recorded = parseMark(m.outcome ?? xr.metadata.annotations?.[RECORDED_OUTCOME]);
      const forThis = recorded?.hash === key.decisionHash ? (recorded.value as RecordOutcome) : undefined;
      const h = health(xr, this.now());
      if (h.kind === 'ready' && forThis !== 'success') {
        await this.record(xr, m, 'success', 'outcome');
      } else if (h.kind !== 'ready' && !forThis) {
        const failKey = `${key.decisionHash}/${h.kind}`;
        const first = (m.firstFailing ??= new Map()).get(failKey) ?? this.now();
        m.firstFailing.set(failKey, first);
        const since = Math.min(h.since, first);
        const limit = h.kind === 'failing' ? this.o.failureGraceMs : this.o.readyTimeoutMs;
        const left = since + limit - this.now();
        if (left <= 0) {
          const reason = h.kind === 'failing' ? h.reason : `not Ready ${Math.round(limit / 1000)}s after creation`;
          await this.record(xr, m, 'failed', 'failure', reason);
        } else {
          requeueAfterMs = left;
        }
      }
      await this.recordFeedback(xr, m);
    }
    await this.syncMetadata(xr, m, true);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  private async record(xr: XR, m: Memory, outcome: RecordOutcome, kind: RecordKind, reason?: string): Promise<void> {
    let rec;
    try {
      rec = toRecord(xr, outcome, reason ? { reason } : {});
    } catch (e) {
      if (!(e instanceof NotRecordableError)) throw e;
      // Nothing to retry until the object changes: warn once per decision.
      const w = `${recordKey(xr)?.decisionHash}:${e.message}`;
      if (m.warned !== w) this.events.event(xr, 'Warning', 'NotRecordable', `cannot record the ${outcome} outcome: ${e.message}`);
      m.warned = w;
      return;
    }
    try {
      await this.sink.recordOutcome(rec);
    } catch (e) {
      this.metrics.errors.inc({ op: 'record-outcome' });
      this.events.event(xr, 'Warning', 'RecordFailed', `recording the ${outcome} outcome failed (will retry): ${String(e)}`);
      throw e;
    }
    m.outcome = mark(rec.decisionHash, outcome);
    this.written(kind);
    this.events.event(xr, outcome === 'success' ? 'Normal' : 'Warning', 'OutcomeRecorded', `recorded ${outcome} of decision ${rec.decisionHash.slice(0, 12)} (${rec.strategy} on ${rec.cloud})${reason ? `: ${reason}` : ''}`);
    this.log.info({ xr: xr.metadata.name, outcome, decision: rec.decisionHash }, 'outcome recorded');
  }

  private async recordFeedback(xr: XR, m: Memory): Promise<void> {
    const key = recordKey(xr);
    const recorded = parseMark(m.outcome ?? xr.metadata.annotations?.[RECORDED_OUTCOME]);
    const fb = feedback(xr);
    if (!key || !fb || recorded?.hash !== key.decisionHash) return; // votes attach to a recorded decision
    if ('invalid' in fb) {
      const w = `feedback:${fb.invalid}`;
      if (m.warned !== w) this.events.event(xr, 'Warning', 'InvalidFeedback', `${FEEDBACK} must be 1, +1 or -1, got ${JSON.stringify(fb.invalid)}`);
      m.warned = w;
      return;
    }
    const want = mark(key.decisionHash, fb.comment ? `${fb.value}:${short(fb.comment)}` : `${fb.value}`);
    if ((m.feedback ?? xr.metadata.annotations?.[RECORDED_FEEDBACK]) === want) return;
    try {
      // The store keeps a comment in the record's metadata, which only recordOutcome writes; it keeps
      // the votes, so re-recording the same outcome with the comment is safe.
      if (fb.comment) await this.sink.recordOutcome(toRecord(xr, recorded.value as RecordOutcome));
      await this.sink.recordFeedback(key, fb.value);
    } catch (e) {
      this.metrics.errors.inc({ op: 'record-feedback' });
      this.events.event(xr, 'Warning', 'RecordFailed', `recording feedback failed (will retry): ${String(e)}`);
      throw e;
    }
    m.feedback = want;
    this.written('feedback');
    this.events.event(xr, 'Normal', 'FeedbackRecorded', `recorded feedback ${fb.value > 0 ? '+1' : '-1'}${fb.comment ? ' with comment' : ''}`);
  }

  /**
   * The final record: lifetime and last actual cost onto the recorded outcome of the current decision.
   * A deployment that failed without being recorded yet is recorded as failed now (no grace left); one
   * deleted while still pending taught nothing and is not recorded.
   */
  private async finalize(xr: XR, m: Memory): Promise<Outcome> {
    if (!hasFinalizer(xr)) return;
    const key = recordKey(xr);
    if (key && !m.final) {
      const recorded = parseMark(m.outcome ?? xr.metadata.annotations?.[RECORDED_OUTCOME]);
      const h = health(xr, this.now());
      const outcome: RecordOutcome | undefined =
        recorded?.hash === key.decisionHash ? (recorded.value as RecordOutcome) : h.kind === 'ready' ? 'success' : h.kind === 'failing' ? 'failed' : undefined;
      if (outcome) {
        const created = Date.parse(xr.metadata.creationTimestamp ?? '');
        const deletedAt = xr.metadata.deletionTimestamp!;
        const actual = xr.status?.cost?.actualThisMonth;
        const performance: Record<string, unknown> = {
          deletedAt,
          ...(Number.isFinite(created) ? { lifetimeSeconds: Math.max(0, (Date.parse(deletedAt) - created) / 1000) } : {}),
          ...(typeof actual === 'number' ? { lastActualThisMonth: actual } : {}),
        };
        let rec;
        try {
          rec = toRecord(xr, outcome, { performance, ...(h.kind === 'failing' && !recorded ? { reason: h.reason } : {}) });
        } catch (e) {
          if (!(e instanceof NotRecordableError)) throw e;
          this.events.event(xr, 'Warning', 'NotRecordable', `no final record: ${e.message}`);
        }
        if (rec) {
          try {
            await this.sink.recordOutcome(rec);
            if (typeof actual === 'number') await this.sink.recordCost(key, actual);
          } catch (e) {
            this.metrics.errors.inc({ op: 'record-final' });
            this.events.event(xr, 'Warning', 'RecordFailed', `final record failed; keeping the finalizer and retrying: ${String(e)}`);
            throw e;
          }
          this.written('final');
          this.events.event(xr, 'Normal', 'FinalRecorded', `final record of decision ${key.decisionHash.slice(0, 12)} written (${outcome})`);
        }
        m.final = true;
      }
    }
    await this.syncMetadata(xr, m, false);
    return;
  }
}
