// What the controller reads from an XDeployment composite: identity, the pinned decision, health
// (Ready / failing / pending, with since when), feedback annotations, and the record it turns into.
// Pure functions: everything here is decided from the object and a clock.
import { CLOUDS, FEEDBACK_ANNOTATION, FEEDBACK_COMMENT_ANNOTATION, STRATEGIES, type Cloud, type Strategy } from '../../lib/domain.js';
import type { Obj } from '../../lib/obj.js';
import type { DeploymentRecord, Outcome, RecordKey } from '../../lib/rag/record.js';

export const PLURAL = 'xdeployments';
export const KIND = 'XDeployment';

/**
 * The finalizer lives on the XR, not the claim: Crossplane deletes the XR when its claim is deleted
 * (and an XR may exist without a claim), so the XR is the one object whose deletion always happens
 * and whose status carries the decision and cost the final record needs.
 */
export const FINALIZER = 'scai.io/rag-recording';
/** Set by users on the claim; Crossplane propagates claim annotations to the XR. */
export const FEEDBACK = FEEDBACK_ANNOTATION;
export const FEEDBACK_COMMENT = FEEDBACK_COMMENT_ANNOTATION;
/** The controller's own bookkeeping: what it has recorded, so a replay or restart never re-records. */
export const RECORDED_OUTCOME = 'scai.io/recorded-outcome';
export const RECORDED_FEEDBACK = 'scai.io/recorded-feedback';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface XR {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    uid: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: XRSpec;
  status?: XRStatus;
}

/**
 * The fields of an XDeployment the controller reads. They come from the API server as written by the
 * claim's author, Crossplane and the function, so every leaf is unknown until checked where it is read.
 */
export interface XRSpec extends Obj {
  prompt?: unknown;
  region?: unknown;
  claimRef?: { name?: unknown; namespace?: unknown };
  budget?: unknown;
}

export interface XRStatus extends Obj {
  conditions?: unknown;
  phase?: unknown;
  decision?: { inputsHash?: unknown; target?: { cloud?: unknown; region?: unknown } };
  deployment?: { strategy?: unknown; config?: unknown };
  analysis?: { framework?: unknown; language?: unknown; dependencies?: unknown };
  cost?: { estimatedMonthly?: unknown; actualThisMonth?: unknown };
}

export const decisionHash = (xr: XR): string | undefined => {
  const h = xr.status?.decision?.inputsHash;
  return typeof h === 'string' && h.length > 0 ? h : undefined;
};

export const recordKey = (xr: XR): RecordKey | undefined => {
  const h = decisionHash(xr);
  return h ? { deploymentUid: xr.metadata.uid, decisionHash: h } : undefined;
};

export const hasFinalizer = (xr: XR) => (xr.metadata.finalizers ?? []).includes(FINALIZER);
export const isDeleting = (xr: XR) => Boolean(xr.metadata.deletionTimestamp);

export function condition(xr: XR, type: string): Condition | undefined {
  const cs = xr.status?.conditions;
  return Array.isArray(cs) ? (cs as Condition[]).find((c) => c?.type === type) : undefined;
}

const time = (s: string | undefined, fallback: number) => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : fallback;
};

export type Health =
  | { kind: 'ready'; since: number }
  | { kind: 'failing'; since: number; reason: string }
  | { kind: 'pending'; since: number };

/**
 * Ready is Crossplane's Ready=True. Failing is the function's phase Failed, Synced=False (the
 * composition cannot be reconciled) or Ready=False for any reason but Creating; `since` comes from
 * the condition's lastTransitionTime, so a restarted controller keeps counting the grace period.
 * Everything else is pending since the XR was created.
 */
export function health(xr: XR, now: number): Health {
  const ready = condition(xr, 'Ready');
  if (ready?.status === 'True') return { kind: 'ready', since: time(ready.lastTransitionTime, now) };
  const synced = condition(xr, 'Synced');
  if (synced?.status === 'False') {
    return { kind: 'failing', since: time(synced.lastTransitionTime, now), reason: `${synced.reason ?? 'NotSynced'}: ${synced.message ?? ''}`.trim() };
  }
  if (xr.status?.phase === 'Failed') {
    const c = ready ?? synced;
    return { kind: 'failing', since: time(c?.lastTransitionTime, now), reason: c?.message || 'phase Failed' };
  }
  if (ready?.status === 'False' && ready.reason && ready.reason !== 'Creating') {
    return { kind: 'failing', since: time(ready.lastTransitionTime, now), reason: `${ready.reason}: ${ready.message ?? ''}`.trim() };
  }
  return { kind: 'pending', since: time(xr.metadata.creationTimestamp, now) };
}

/** `+1`, `1`, `-1` → ±1; anything else is invalid (undefined when absent). */
export function feedback(xr: XR): { value: number; comment?: string } | { invalid: string } | undefined {
  const raw = xr.metadata.annotations?.[FEEDBACK];
  if (raw === undefined) return undefined;
  const v = raw.trim();
  const value = v === '1' || v === '+1' ? 1 : v === '-1' ? -1 : undefined;
  if (value === undefined) return { invalid: raw };
  const comment = xr.metadata.annotations?.[FEEDBACK_COMMENT];
  return comment ? { value, comment } : { value };
}

/** The bookkeeping annotation: `<decisionHash>=<value>`. */
export function parseMark(s: string | undefined): { hash: string; value: string } | undefined {
  const i = s?.lastIndexOf('=') ?? -1;
  return s && i > 0 ? { hash: s.slice(0, i), value: s.slice(i + 1) } : undefined;
}
export const mark = (hash: string, value: string) => `${hash}=${value}`;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export class NotRecordableError extends Error {}

/** Builds the store record for the XR's current decision. Throws NotRecordableError naming what is missing. */
export function toRecord(xr: XR, outcome: Outcome, extra: { reason?: string; performance?: Record<string, unknown> } = {}): DeploymentRecord {
  const key = recordKey(xr);
  if (!key) throw new NotRecordableError('status.decision.inputsHash is not set');
  const s = xr.status ?? {};
  const strategy = str(s.deployment?.strategy);
  if (!strategy || !(STRATEGIES as readonly string[]).includes(strategy)) throw new NotRecordableError(`status.deployment.strategy is ${JSON.stringify(strategy)}`);
  const cloud = str(s.decision?.target?.cloud);
  if (!cloud || !(CLOUDS as readonly string[]).includes(cloud)) throw new NotRecordableError(`status.decision.target.cloud is ${JSON.stringify(cloud)}`);
  const a = s.analysis ?? {};
  const framework = str(a.framework);
  const language = str(a.language);
  const claim = xr.spec?.claimRef ?? {};
  const ready = condition(xr, 'Ready');
  const created = xr.metadata.creationTimestamp ? Date.parse(xr.metadata.creationTimestamp) : NaN;
  const readyAt = ready?.status === 'True' && ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  const comment = xr.metadata.annotations?.[FEEDBACK_COMMENT];
  const intent = str(xr.spec?.prompt);
  const region = str(s.decision?.target?.region) ?? str(xr.spec?.region);
  const cost = num(s.cost?.estimatedMonthly);
  return {
    ...key,
    name: str(claim.name) ?? xr.metadata.name,
    ...(str(claim.namespace) ? { namespace: str(claim.namespace) } : {}),
    framework: framework && framework !== 'none' ? framework : null,
    language: language && language !== 'unknown' ? language : null,
    ...(Array.isArray(a.dependencies) ? { dependencies: a.dependencies.map((d: unknown) => String(d).replace(/@[^@]*$/, '')).filter(Boolean) } : {}),
    ...(intent ? { intent } : {}),
    strategy: strategy as Strategy,
    cloud: cloud as Cloud,
    region: region ?? null,
    outcome,
    ...(cost !== undefined ? { costMonthly: cost } : {}),
    performanceMetrics: {
      ...(Number.isFinite(created) && Number.isFinite(readyAt) ? { timeToReadySeconds: Math.max(0, (readyAt - created) / 1000) } : {}),
      ...extra.performance,
    },
    metadata: {
      xr: xr.metadata.name,
      ...(s.deployment?.config ? { sizing: s.deployment.config } : {}),
      ...(extra.reason ? { failureReason: extra.reason } : {}),
      ...(comment ? { feedbackComment: comment } : {}),
    },
    source: 'controller',
  };
}
