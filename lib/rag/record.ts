// A deployment as the store keeps it, and the checks that keep bad rows out (with the field named).
import { CLOUDS, STRATEGIES, type Cloud, type Strategy } from '../domain.js';

export const OUTCOMES = ['success', 'failed', 'degraded'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type RecordSource = 'seed' | 'import' | 'controller';

/** The idempotency key of the record API: one row per deployment UID and decision (inputsHash). */
export interface RecordKey {
  deploymentUid: string;
  decisionHash: string;
}

export interface DeploymentRecord extends RecordKey {
  name: string;
  namespace?: string;
  framework: string | null;
  language: string | null;
  /** Top dependencies by name; only the first 15 are embedded. */
  dependencies?: string[];
  /** The claim's prompt, or a one-line summary of it. */
  intent?: string;
  strategy: Strategy;
  cloud: Cloud;
  region?: string | null;
  outcome: Outcome;
  costMonthly?: number | null;
  performanceMetrics?: Record<string, unknown>;
  /** Net user votes; retrieval ignores records below 0. */
  feedback?: number;
  metadata?: Record<string, unknown>;
  source?: RecordSource;
  /** ISO time the deployment happened (seed/import); default now. */
  createdAt?: string;
}

export class RecordError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'RecordError';
  }
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

export function checkKey(k: RecordKey, where = 'record'): void {
  if (!nonEmpty(k.deploymentUid)) throw new RecordError(`${where}.deploymentUid`, 'must be a non-empty string');
  if (!nonEmpty(k.decisionHash)) throw new RecordError(`${where}.decisionHash`, 'must be a non-empty string');
}

export function checkCost(v: unknown, field: string): void {
  if (v === null || v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RecordError(field, `must be a non-negative number, got ${JSON.stringify(v)}`);
}

export function checkFeedback(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new RecordError(field, `must be an integer, got ${JSON.stringify(v)}`);
}

/** Throws a RecordError naming the first bad field. `where` prefixes field names (e.g. "seed[3]"). */
export function checkRecord(r: DeploymentRecord, where = 'record'): void {
  checkKey(r, where);
  if (!nonEmpty(r.name)) throw new RecordError(`${where}.name`, 'must be a non-empty string');
  if (!(STRATEGIES as readonly string[]).includes(r.strategy)) throw new RecordError(`${where}.strategy`, `must be one of ${STRATEGIES.join(', ')}, got ${JSON.stringify(r.strategy)}`);
  if (!(CLOUDS as readonly string[]).includes(r.cloud)) throw new RecordError(`${where}.cloud`, `must be one of ${CLOUDS.join(', ')}, got ${JSON.stringify(r.cloud)}`);
  if (!(OUTCOMES as readonly string[]).includes(r.outcome)) throw new RecordError(`${where}.outcome`, `must be one of ${OUTCOMES.join(', ')}, got ${JSON.stringify(r.outcome)}`);
  for (const f of ['framework', 'language'] as const) {
    if (r[f] !== null && typeof r[f] !== 'string') throw new RecordError(`${where}.${f}`, 'must be a string or null');
  }
  if (r.dependencies !== undefined && (!Array.isArray(r.dependencies) || r.dependencies.some((d) => typeof d !== 'string'))) {
    throw new RecordError(`${where}.dependencies`, 'must be a list of names');
  }
  checkCost(r.costMonthly, `${where}.costMonthly`);
  if (r.feedback !== undefined) checkFeedback(r.feedback, `${where}.feedback`);
  if (r.createdAt !== undefined && Number.isNaN(Date.parse(r.createdAt))) throw new RecordError(`${where}.createdAt`, `must be an ISO time, got ${JSON.stringify(r.createdAt)}`);
}
