// Stage "enforce": the estimate against the render's budget and, when the CloudProvider sets one, the
// team budget (decision/team-budget.ts). A hard budget refuses a new decision without removing
// anything: the pin stays composed, and composed resources without a readable pin are kept as
// observed (keepObserved). A soft budget only warns.
import { checkBudget, type BudgetVerdict } from '../decision/budget.js';
import { checkTeamBudget, type TeamBudgetVerdict } from '../decision/team-budget.js';
import type { Proposal } from './compose.js';
import type { RenderContext } from './context.js';
import { keepPinned } from './pin.js';
import type { ClaimFacts } from './provider.js';
import type { Cond, Done, Res } from './result.js';

/** The claim's budget verdict, and the team budget's when the CloudProvider sets one. */
export type EnforcedVerdict = BudgetVerdict & { team?: TeamBudgetVerdict };

export function budgetCondition(v: EnforcedVerdict): Cond {
  if (!v.withinBudget) return { type: 'BudgetOK', status: 'False', reason: 'OverBudget', message: v.message };
  if (v.team && !v.team.withinBudget) return { type: 'BudgetOK', status: 'False', reason: 'TeamOverBudget', message: v.team.message };
  const near = v.nearLimit || v.team?.nearLimit;
  return { type: 'BudgetOK', status: 'True', reason: near ? 'NearLimit' : 'WithinBudget', message: v.team ? `${v.message}; ${v.team.message}` : v.message };
}

/** The verdict when the decision may be composed; a refusal (Done) when a hard budget (the claim's or the team's) forbids it. */
export function enforceBudget(ctx: RenderContext, facts: ClaimFacts, p: Proposal, results: Res[]): EnforcedVerdict | Done {
  const own = checkBudget(p.out.cost.estimatedMonthly, facts.budget);
  const team = facts.teamSpend ? checkTeamBudget(p.out.cost.estimatedMonthly, facts.teamSpend, facts.provider, `namespace ${ctx.owner.claimNamespace}`) : undefined;
  const verdict: EnforcedVerdict = team ? { ...own, team } : own;
  const { decision, cost } = p.out;
  let refused: string;
  if (!own.withinBudget && own.mode === 'hard') refused = `hard budget: ${own.message}; the ${decision.strategy} decision is refused`;
  else if (team && !team.withinBudget && team.mode === 'hard') refused = `hard ${team.message}; the ${decision.strategy} decision is refused`;
  else return verdict;
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

/** Warnings a composed decision carries about its budget and its team's. */
export function budgetResults(verdict: EnforcedVerdict): Res[] {
  const out: Res[] = [];
  if (!verdict.withinBudget) out.push({ severity: 'warning', reason: 'OverBudget', message: `soft budget: ${verdict.message}` });
  else if (verdict.nearLimit) out.push({ severity: 'warning', reason: 'NearBudget', message: verdict.message });
  const team = verdict.team;
  if (team && !team.withinBudget) out.push({ severity: 'warning', reason: 'TeamOverBudget', message: `soft ${team.message}` });
  else if (team?.nearLimit) out.push({ severity: 'warning', reason: 'NearTeamBudget', message: team.message });
  return out;
}
