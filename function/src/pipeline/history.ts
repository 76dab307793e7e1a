// status.history: every decision the function composed, kept whole enough to compose it again
// (strategy, config, target, commit, inputs hash) so that spec.decisionRevision can roll back to
// one (rollback.ts). Each entry carries the pin's digest (pinned.ts): status is writable by anyone
// with status RBAC, and an entry whose digest does not match is refused, never composed. Bounded in
// entries and bytes, oldest first out; revisions keep counting up. Pure.
import { z } from 'zod';
import type { Obj } from '../../../lib/obj.js';
import { STRATEGIES, type Alternative, type DeploymentConfig, type Strategy } from '../types.js';
import type { ComposeTarget } from './compose.js';
import { configSchema, decisionDigest, targetSchema } from './pinned.js';

export const HISTORY_LIMIT = 10;
/** An XR lives in etcd (objects stop at 1.5 MiB); ten entries with 50 long tags each would not fit here. */
export const HISTORY_MAX_BYTES = 64 * 1024;
const TEXT_MAX = 512;

const text = (s: string): string => (s.length > TEXT_MAX ? `${s.slice(0, TEXT_MAX)}…` : s);

export const historyEntrySchema = z
  .object({
    revision: z.number().int().min(1),
    decidedAt: z.string(),
    inputsHash: z.string().min(1),
    digest: z.string().min(1),
    engine: z.string(),
    strategy: z.enum(STRATEGIES),
    reason: z.string(),
    confidence: z.number(),
    alternativeStrategies: z.array(z.object({ strategy: z.enum(STRATEGIES), reason: z.string(), estimatedMonthly: z.number().optional() })).default([]),
    estimatedMonthly: z.number(),
    config: configSchema,
    target: targetSchema,
    commit: z.string().optional(),
    restoredFrom: z.number().int().optional(),
  })
  .passthrough();
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export interface EntryParts {
  decidedAt: string;
  inputsHash: string;
  engine: string;
  strategy: Strategy;
  reason: string;
  confidence: number;
  alternatives: Alternative[];
  estimatedMonthly: number;
  config: DeploymentConfig;
  target: ComposeTarget;
  commit?: string | undefined;
  restoredFrom?: number;
}

export const asList = (history: unknown): unknown[] => (Array.isArray(history) ? history : []);

const revisionOf = (e: unknown): number | undefined => {
  const r = e && typeof e === 'object' ? (e as Obj).revision : undefined;
  return typeof r === 'number' && Number.isInteger(r) ? r : undefined;
};

/** One more than any revision kept; entries written before revisions existed count by position. */
export function nextRevision(history: unknown): number {
  const list = asList(history);
  return Math.max(list.length, ...list.map((e) => revisionOf(e) ?? 0)) + 1;
}

export function historyEntry(revision: number, p: EntryParts): Obj {
  const entry: Obj = {
    revision,
    decidedAt: p.decidedAt,
    inputsHash: p.inputsHash,
    digest: decisionDigest({ strategy: p.strategy, config: p.config, inputsHash: p.inputsHash, target: p.target, commit: p.commit }),
    engine: p.engine,
    strategy: p.strategy,
    reason: text(p.reason),
    confidence: p.confidence,
    alternativeStrategies: p.alternatives.slice(0, STRATEGIES.length).map((a) => ({ ...a, reason: text(a.reason) })),
    estimatedMonthly: p.estimatedMonthly,
    config: p.config,
    target: p.target,
  };
  if (p.commit) entry.commit = p.commit;
  if (p.restoredFrom !== undefined) entry.restoredFrom = p.restoredFrom;
  return entry;
}

/** The previous history plus one entry, within HISTORY_LIMIT entries and HISTORY_MAX_BYTES (the newest always stays). */
export function appendHistory(previous: unknown, entry: Obj): unknown[] {
  const out = [...asList(previous), entry].slice(-HISTORY_LIMIT);
  while (out.length > 1 && Buffer.byteLength(JSON.stringify(out)) > HISTORY_MAX_BYTES) out.shift();
  return out;
}

/** An entry read back and verified: its index in status.history, or why it cannot be trusted. */
export type Verified = { entry: HistoryEntry; index: number } | { problem: string; index: number };

export function verifyEntry(raw: unknown, index: number): Verified {
  const field = `status.history[${index}]`;
  const parsed = historyEntrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { index, problem: `${[field, ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'} (written by an earlier version or edited)` };
  }
  const e = parsed.data;
  const digest = decisionDigest({ strategy: e.strategy, config: e.config, inputsHash: e.inputsHash, target: e.target, commit: e.commit });
  if (e.digest !== digest) return { index, problem: `${field}.digest does not match the entry's strategy, config, target and commit (edited?)` };
  return { entry: e, index };
}

/** The entry of a revision, verified; undefined when no entry has that revision. */
export function findRevision(history: unknown, revision: number): Verified | undefined {
  const list = asList(history);
  const index = list.findIndex((e) => revisionOf(e) === revision);
  return index < 0 ? undefined : verifyEntry(list[index], index);
}

export const revisions = (history: unknown): number[] => asList(history).flatMap((e) => revisionOf(e) ?? []);

/**
 * The current decision of a spec: the newest trusted entry decided for it (not restored by a
 * rollback) whose inputs hash is the spec's. `hashFor` gives the spec's hash at an entry's commit.
 */
export function currentEntry(history: unknown, hashFor: (commit: string | undefined) => string): HistoryEntry | undefined {
  const list = asList(history);
  for (let i = list.length - 1; i >= 0; i--) {
    const v = verifyEntry(list[i], i);
    if ('entry' in v && v.entry.restoredFrom === undefined && v.entry.inputsHash === hashFor(v.entry.commit)) return v.entry;
  }
  return undefined;
}
