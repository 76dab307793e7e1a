// Rollback (issue 16): spec.decisionRevision composes a decision of status.history again, byte for
// byte, as a new pinned entry; clearing it returns to the current decision. Edited entries and
// unknown revisions are refused naming the field; nothing is fetched or analysed for any of it.
import { Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { claimToXr } from '../function/src/cli/claims.js';
import { runFunction } from '../function/src/handler.js';
import { appendHistory, HISTORY_LIMIT, HISTORY_MAX_BYTES, historyEntry, nextRevision } from '../function/src/pipeline/history.js';
import type { LooseObj as Obj } from '../lib/obj.js';
import { claim, countingSource, desiredResources, desiredStatus, request } from './helpers/fn.js';

async function render(spec: Obj, status?: Obj, observed?: Record<string, Obj>, at = '2026-11-28T12:00:00Z') {
  const repos = countingSource();
  const xr = claimToXr(claim(spec));
  const { rsp } = await runFunction(request({ xr, ...(status ? { status } : {}), ...(observed ? { observed } : {}) }), { repos, now: () => at });
  const resources = desiredResources(rsp);
  return {
    rsp,
    loads: repos.loads,
    status: desiredStatus(rsp),
    resources,
    /** The composed resources as bytes: what Crossplane would apply. */
    bytes: JSON.stringify(resources),
    fatal: rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message),
    reason: rsp.conditions.find((c) => c.type === 'DecisionReady')?.reason,
  };
}

const asObserved = (resources: Record<string, Obj>): Record<string, Obj> =>
  Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, { ...v, metadata: { ...v.metadata, name: `web-x-${k}` }, status: { conditions: [] } }]));

/** Revision 1 on vm, revision 2 on kubernetes after a spec change. */
async function twoRevisions() {
  const r1 = await render({ strategy: 'vm' });
  const r2 = await render({ strategy: 'kubernetes' }, r1.status, asObserved(r1.resources), '2026-11-29T12:00:00Z');
  return { r1, r2 };
}

describe('spec.decisionRevision (rollback)', () => {
  it('history entries carry a revision and what composing them again needs; the pin names its revision', async () => {
    const { r1, r2 } = await twoRevisions();
    expect(r2.status.history.map((e: Obj) => e.revision)).toEqual([1, 2]);
    expect(r2.status.decision.revision).toBe(2);
    const [e1] = r2.status.history;
    expect(e1).toMatchObject({ strategy: 'vm', inputsHash: r1.status.decision.inputsHash, digest: r1.status.decision.digest, config: r1.status.deployment.config, target: r1.status.decision.target });
  });

  it('rolls back to revision 1: the same resources byte for byte, recorded as revision 3, no fetch', async () => {
    const { r1, r2 } = await twoRevisions();
    const back = await render({ strategy: 'kubernetes', decisionRevision: 1 }, r2.status, asObserved(r2.resources), '2026-11-30T12:00:00Z');
    expect(back.fatal).toEqual([]);
    expect(back.loads).toBe(0);
    expect(back.bytes).toBe(r1.bytes);
    expect(back.reason).toBe('RolledBack');
    expect(back.status.deployment.strategy).toBe('vm');
    expect(back.status.history.map((e: Obj) => [e.revision, e.strategy, e.restoredFrom])).toEqual([[1, 'vm', undefined], [2, 'kubernetes', undefined], [3, 'vm', 1]]);
    expect(back.status.decision).toMatchObject({ revision: 3, restoredFrom: 1, inputsHash: r1.status.decision.inputsHash, digest: r1.status.decision.digest });

    // Re-rendered while the field stays: the pin holds, nothing new recorded, same bytes.
    const again = await render({ strategy: 'kubernetes', decisionRevision: 1 }, back.status, asObserved(back.resources), '2026-12-01T12:00:00Z');
    expect([again.loads, again.reason, again.bytes, again.status.history.length]).toEqual([0, 'RolledBack', r1.bytes, 3]);

    // Cleared: back to the current decision (revision 2) byte for byte, as revision 4; then pinned.
    const cleared = await render({ strategy: 'kubernetes' }, again.status, asObserved(again.resources), '2026-12-02T12:00:00Z');
    expect([cleared.loads, cleared.reason, cleared.bytes]).toEqual([0, 'Restored', r2.bytes]);
    expect(cleared.status.history.at(-1)).toMatchObject({ revision: 4, restoredFrom: 2, strategy: 'kubernetes' });
    const pinned = await render({ strategy: 'kubernetes' }, cleared.status, asObserved(cleared.resources), '2026-12-03T12:00:00Z');
    expect([pinned.loads, pinned.reason, pinned.bytes, pinned.status.history.length]).toEqual([0, 'Pinned', r2.bytes, 4]);
  });

  it('clearing it after the spec changed decides again (no entry was decided for that spec)', async () => {
    const { r2 } = await twoRevisions();
    const back = await render({ strategy: 'kubernetes', decisionRevision: 1 }, r2.status, asObserved(r2.resources));
    const changed = await render({ strategy: 'serverless' }, back.status, asObserved(back.resources));
    expect(changed.reason).toBe('Redecided');
    expect(changed.loads).toBe(1);
    expect(changed.status.deployment.strategy).toBe('serverless');
    expect(changed.status.history.map((e: Obj) => e.revision)).toEqual([1, 2, 3, 4]);
  });

  it('an unknown revision is a Fatal naming spec.decisionRevision and the revisions kept; nothing observed changes', async () => {
    const { r2 } = await twoRevisions();
    const bad = await render({ strategy: 'kubernetes', decisionRevision: 7 }, r2.status, asObserved(r2.resources));
    expect(bad.fatal).toEqual(['spec.decisionRevision: revision 7 is not in status.history (kept: 1, 2)']);
    // A Fatal response desires nothing new: Crossplane applies nothing and every observed resource stays.
    expect([bad.bytes, bad.rsp.desired?.composite?.resource]).toEqual(['{}', {}]);
    const none = await render({ strategy: 'vm', decisionRevision: 1 });
    expect(none.fatal).toEqual(['spec.decisionRevision: revision 1 is not in status.history (kept: none)']);
  });

  it('an edited history entry is refused naming the field, never composed', async () => {
    const { r2 } = await twoRevisions();
    const edited = structuredClone(r2.status);
    edited.history[0].config.minInstances = 500;
    const bad = await render({ strategy: 'kubernetes', decisionRevision: 1 }, edited, asObserved(r2.resources));
    expect(bad.fatal).toEqual([expect.stringMatching(/^spec.decisionRevision: refusing revision 1: status.history\[0\].digest does not match/)]);
    expect([bad.bytes, bad.rsp.desired?.composite?.resource]).toEqual(['{}', {}]);
    const legacy = structuredClone(r2.status);
    legacy.history[0] = { revision: 1, decidedAt: 'x', inputsHash: 'abc', strategy: 'vm', estimatedMonthly: 1, engine: 'rules/v1' }; // a summary only
    const old = await render({ strategy: 'kubernetes', decisionRevision: 1 }, legacy, asObserved(r2.resources));
    expect(old.fatal[0]).toMatch(/^spec.decisionRevision: refusing revision 1: status.history\[0\]\.digest: .*earlier version or edited/);
  });

  it('a hard budget refuses a rollback it cannot afford and keeps the pin with a Warning', async () => {
    const budget = { maxMonthlyCost: 20, enforcementMode: 'hard' };
    const r1 = await render({ strategy: 'kubernetes' });
    const r2 = await render({ strategy: 'serverless', budget }, r1.status, asObserved(r1.resources));
    expect(r2.status.deployment.strategy).toBe('serverless');
    const back = await render({ strategy: 'serverless', budget, decisionRevision: 1 }, r2.status, asObserved(r2.resources));
    expect(back.bytes).toBe(r2.bytes);
    expect(back.rsp.results.map((r) => r.message).join('\n')).toMatch(/rollback failed: spec.decisionRevision: revision 1 is refused by the hard budget/);
  });
});

describe('status.history is bounded', () => {
  it('keeps the last entries by count and by bytes, revisions counting on', () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag-${i}-${'k'.repeat(40)}`, 'v'.repeat(256)]));
    const target = { cloud: 'aws' as const, region: 'us-east-1', policies: [], tags, repository: { url: 'https://x/y.git' } };
    let history: unknown[] = [];
    for (let i = 0; i < 25; i++) {
      const e = historyEntry(nextRevision(history), {
        decidedAt: 'now', inputsHash: 'h'.repeat(64), engine: 'rules/v2', strategy: 'vm', reason: 'r'.repeat(5000), confidence: 0.5,
        alternatives: [{ strategy: 'kubernetes', reason: 'a'.repeat(5000) }], estimatedMonthly: 1,
        config: { port: 80, healthCheckPath: '/', runtime: 'python', highAvailability: false }, target,
      });
      history = appendHistory(history, e);
    }
    expect(Buffer.byteLength(JSON.stringify(history))).toBeLessThanOrEqual(HISTORY_MAX_BYTES);
    expect(history.length).toBeGreaterThan(1);
    expect(history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    expect((history.at(-1) as Obj).revision).toBe(25);
    expect(((history[0] as Obj).reason as string).length).toBe(513);
  });

  it('revisions continue after entries written before revisions existed', () => {
    expect(nextRevision([{ strategy: 'vm' }, { strategy: 'vm' }])).toBe(3);
    expect(nextRevision([{ strategy: 'vm' }, { revision: 7 }])).toBe(8);
    expect(nextRevision(undefined)).toBe(1);
  });
});
