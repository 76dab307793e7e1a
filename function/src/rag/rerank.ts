// Reranking of the vector search's candidates. Pure: the same candidates, weights and clock give the
// same order. Each signal is scaled to [0, 1] so the weights read as shares of the score.
import type { Strategy } from '../../../lib/domain.js';
import type { Outcome } from '../../../lib/rag/record.js';

export interface RerankWeights {
  similarity: number;
  feedback: number;
  recency: number;
  costEfficiency: number;
}

/** Similarity dominates; feedback and cost break ties between comparable deployments. */
export const DEFAULT_WEIGHTS: RerankWeights = { similarity: 0.6, feedback: 0.15, recency: 0.1, costEfficiency: 0.15 };

export interface Candidate {
  id: number;
  name: string;
  namespace: string;
  strategy: Strategy;
  outcome: Outcome;
  similarity: number;
  feedback: number;
  costMonthly: number | null;
  createdAt: string;
}

export interface Scored extends Candidate {
  score: number;
  signals: { similarity: number; feedback: number; recency: number; costEfficiency: number };
}

export interface RerankOptions {
  weights?: Partial<RerankWeights>;
  now: Date;
  budget?: number;
  /** A deployment this old counts half as much as one made today. */
  halfLifeDays?: number;
  /** Votes at which the feedback signal saturates. */
  feedbackCap?: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function recency(createdAt: string, now: Date, halfLifeDays: number): number {
  const ageDays = Math.max(0, (now.getTime() - Date.parse(createdAt)) / 86_400_000);
  return Math.pow(0.5, ageDays / halfLifeDays);
}

/**
 * Cheaper is better, measured against the budget when there is one, else against the dearest
 * candidate. Unknown cost is neutral (0.5), neither rewarded nor punished.
 */
export function costEfficiency(cost: number | null, budget: number | undefined, maxCost: number): number {
  if (cost === null) return 0.5;
  const ref = budget !== undefined && budget > 0 ? budget : maxCost;
  return ref > 0 ? clamp01(1 - cost / ref) : 1;
}

export function rerank(cands: readonly Candidate[], o: RerankOptions): Scored[] {
  const w = { ...DEFAULT_WEIGHTS, ...o.weights };
  const halfLife = o.halfLifeDays ?? 180;
  const cap = o.feedbackCap ?? 5;
  const maxCost = Math.max(0, ...cands.map((c) => c.costMonthly ?? 0));
  return cands
    .map((c) => {
      const signals = {
        similarity: clamp01(c.similarity),
        feedback: clamp01(c.feedback / cap),
        recency: recency(c.createdAt, o.now, halfLife),
        costEfficiency: costEfficiency(c.costMonthly, o.budget, maxCost),
      };
      const score =
        w.similarity * signals.similarity + w.feedback * signals.feedback + w.recency * signals.recency + w.costEfficiency * signals.costEfficiency;
      return { ...c, signals, score: Math.round(score * 1e4) / 1e4 };
    })
    .sort((a, b) => b.score - a.score || b.similarity - a.similarity || a.id - b.id);
}
