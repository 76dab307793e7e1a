// Stage "enforce": the estimate against the render's budget. A hard budget refuses a new decision
// without removing anything: the pin stays composed, and composed resources without a readable pin
// are kept as observed (keepObserved). A soft budget only warns.
import { checkBudget, type BudgetVerdict } from '../decision/budget.js';
import type { Proposal } from './compose.js';
import type { RenderContext } from './context.js';
import { keepPinned } from './pin.js';
import type { ClaimFacts } from './provider.js';
import type { Cond, Done, Res } from './result.js';

export function budgetCondition(v: BudgetVerdict): Cond {
  return v.withinBudget
    ? { type: 'BudgetOK', status: 'True', reason: v.nearLimit ? 'NearLimit' : 'WithinBudget', message: v.message }
    : { type: 'BudgetOK', status: 'False', reason: 'OverBudget', message: v.message };
}

/** The verdict when the decision may be composed; a refusal (Done) when a hard budget forbids it. */
export function enforceBudget(ctx: RenderContext, facts: ClaimFacts, p: Proposal, results: Res[]): BudgetVerdict | Done {
  const verdict = checkBudget(p.out.cost.estimatedMonthly, facts.budget);
  if (verdict.withinBudget || verdict.mode !== 'hard') return verdict;
  const { decision, cost } = p.out;
  const refused = `hard budget: ${verdict.message}; the ${decision.strategy} decision is refused`;
  if (ctx.pinned) {
    return {
      done: keepPinned(ctx, ctx.pinned, {
        results: [...results, { severity: 'warning', reason: 'BudgetExceeded', message: `${refused}, keeping the pinned decision` }],
        conditions: [{ type: 'DecisionReady', status: 'False', reason: 'BudgetExceeded', message: refused }, budgetCondition(verdict)],
        ttl: ctx.failureTtl,
      }),
    };
  }
  // Without a pin, composed resources that exist are kept by keepObserved (observed.ts), the one rule
  // for every render without a trusted pin; the refusal composes nothing new.
  return {
    done: {
      resources: {},
      status: {
        phase: 'BudgetExceeded',
        endpoints: [],
        deployment: { strategy: decision.strategy, reason: refused, confidence: decision.confidence, alternativeStrategies: decision.alternatives, config: decision.config },
        cost,
      },
      conditions: [{ type: 'DecisionReady', status: 'False', reason: 'BudgetExceeded', message: refused }, budgetCondition(verdict)],
      results: [...ctx.baseResults, ...results, { severity: 'warning', reason: 'BudgetExceeded', message: refused }],
      ttlSeconds: ctx.failureTtl,
      report: p.report,
    },
  };
}

/** Warnings a composed decision carries about its budget. */
export function budgetResults(verdict: BudgetVerdict): Res[] {
  if (!verdict.withinBudget) return [{ severity: 'warning', reason: 'OverBudget', message: `soft budget: ${verdict.message}` }];
  if (verdict.nearLimit) return [{ severity: 'warning', reason: 'NearBudget', message: verdict.message }];
  return [];
}
