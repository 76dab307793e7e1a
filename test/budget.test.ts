import { describe, expect, it } from 'vitest';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import { budgetLimit, checkBudget as check } from '../function/src/decision/budget.js';

const provider = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1' });
const spec = (budget?: object, prompt = '') =>
  deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a/b.git' }, cloudProvider: 'p', prompt, ...(budget ? { budget } : {}) });

// The budget is computed once from the claim, the prompt and the provider, then checked.
const checkBudget = (estimate: number, s: Parameters<typeof budgetLimit>[0], p: Parameters<typeof budgetLimit>[1], stated?: number) =>
  check(estimate, budgetLimit(s, p, stated));

describe('checkBudget', () => {
  it('passes without a budget', () => {
    expect(checkBudget(500, spec(), provider)).toMatchObject({ withinBudget: true, nearLimit: false, mode: 'soft' });
  });
  it('warns past the alert threshold and fails over the limit', () => {
    const s = spec({ maxMonthlyCost: 100, alertThreshold: 0.8 });
    expect(checkBudget(50, s, provider)).toMatchObject({ withinBudget: true, nearLimit: false });
    expect(checkBudget(85, s, provider)).toMatchObject({ withinBudget: true, nearLimit: true });
    const over = checkBudget(120, s, provider);
    expect(over).toMatchObject({ withinBudget: false, mode: 'soft', limit: 100, limitSource: 'spec.budget.maxMonthlyCost' });
    expect(over.message).toContain('exceeds the $100.00 limit');
  });
  it('takes the tightest ceiling, including the prompt and the provider quota (always hard)', () => {
    expect(checkBudget(150, spec({ maxMonthlyCost: 300 }, 'under $100/month'), provider, 100)).toMatchObject({ limit: 100, limitSource: 'spec.prompt', withinBudget: false });
    const strict = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1', quotas: { maxMonthlyCostPerDeployment: 50 } });
    expect(checkBudget(60, spec({ maxMonthlyCost: 300, enforcementMode: 'soft' }), strict)).toMatchObject({ limit: 50, mode: 'hard', withinBudget: false });
  });
});
