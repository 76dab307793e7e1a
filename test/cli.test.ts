import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { run as ragCli } from '../function/src/cli/commands/rag.js';
import { cli } from '../function/src/cli/scai.js';
import { ROOT } from './helpers/fn.js';

const EXAMPLE = join(ROOT, 'examples', 'claims', 'flask-app.yaml');

async function scai(...args: string[]) {
  let out = '';
  let err = '';
  const code = await cli(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}
const docs = (yaml: string) => parseAllDocuments(yaml).map((d) => d.toJS());

describe('scai decide', () => {
  it('prints the decision as JSON', async () => {
    const r = await scai('decide', EXAMPLE, '--repo-dir', ROOT, '--json', '--now', '2026-11-28T00:00:00Z');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['strategy', 'confidence', 'reason', 'alternatives', 'config', 'cost', 'analysis', 'neighbors', 'engine', 'inputsHash']));
    expect(j.analysis.framework).toBe('flask');
    expect(j.cost).toMatchObject({ currency: 'USD', breakdown: expect.any(Array) });
    expect(j.cost.estimatedMonthly).toBeLessThanOrEqual(300);
    expect(j.config.highAvailability).toBe(true);
  });

  it('prints a readable summary by default', async () => {
    const r = await scai('decide', EXAMPLE, '--repo-dir', ROOT);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^strategy: +(vm|kubernetes|serverless) \(confidence 0\.\d+\)/);
    expect(r.out).toContain('alternative:');
  });

  it('refuses a local path in repository.url unless --allow-local', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scai-cli-'));
    const claim = join(dir, 'claim.yaml');
    writeFileSync(
      claim,
      `apiVersion: scai.io/v1alpha1\nkind: CloudProvider\nmetadata: {name: p, namespace: ns}\nspec: {type: gcp, defaultRegion: us-central1}\n---\napiVersion: scai.io/v1alpha1\nkind: Deployment\nmetadata: {name: app, namespace: ns}\nspec:\n  repository: {url: ${join(ROOT, 'examples', 'apps', 'flask-app')}}\n  cloudProvider: p\n`,
    );
    const refused = await scai('decide', claim);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('spec.repository.url');
    expect(refused.err).toContain('--allow-local');
    const allowed = await scai('decide', claim, '--allow-local', '--json');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.out).analysis.framework).toBe('flask');
  });

  it('reports usage errors with exit code 2 and missing files with 1', async () => {
    expect((await scai('frobnicate')).code).toBe(2);
    expect((await scai('decide')).code).toBe(2);
    const missing = await scai('decide', '/nonexistent.yaml');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('cannot read /nonexistent.yaml');
  });
});

describe('scai render', () => {
  it('prints the XR then the composed XInfrastructure, like crossplane render', async () => {
    const r = await scai('render', EXAMPLE, '--repo-dir', ROOT, '--now', '2026-11-28T00:00:00Z');
    expect(r.code).toBe(0);
    const [xr, infra, ...results] = docs(r.out);
    expect(xr).toMatchObject({ apiVersion: 'scai.io/v1alpha1', kind: 'XDeployment', status: { phase: 'Provisioning' } });
    expect(xr.status.conditions.map((c: { type: string }) => c.type)).toEqual(['DecisionReady', 'BudgetOK']);
    expect(infra.kind).toBe('XInfrastructure');
    expect(infra.metadata.generateName).toBe(`${xr.metadata.name}-`);
    expect(infra.metadata.annotations['crossplane.io/composition-resource-name']).toMatch(/^infrastructure-/);
    expect(infra.metadata.ownerReferences[0]).toMatchObject({ kind: 'XDeployment', controller: true });
    expect(results.every((d) => d.kind === 'Result')).toBe(true);
  });

  it('with --observed set to its own output, renders the same resources without re-deciding', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scai-cli-'));
    const first = await scai('render', EXAMPLE, '--repo-dir', ROOT, '--now', '2026-11-28T00:00:00Z');
    writeFileSync(join(dir, 'observed.yaml'), first.out);
    const second = await scai('render', EXAMPLE, '--repo-dir', '/nonexistent', '--observed', join(dir, 'observed.yaml'), '--now', '2030-01-01T00:00:00Z');
    expect(second.code).toBe(0);
    const [xr1, infra1] = docs(first.out);
    const [xr2, infra2, ...rest] = docs(second.out);
    expect(infra2).toEqual(infra1);
    expect(xr2.status.decision).toEqual(xr1.status.decision);
    expect(xr2.status.conditions[0]).toMatchObject({ type: 'DecisionReady', reason: 'Pinned' });
    expect(rest).toEqual([]);
  });
});

describe('scai decide: answers that are not a decision', () => {
  const claimFile = (edit: (text: string) => string) => {
    const dir = mkdtempSync(join(tmpdir(), 'scai-cli-'));
    const file = join(dir, 'claim.yaml');
    writeFileSync(file, edit(readFileSync(EXAMPLE, 'utf8')));
    return file;
  };

  it('a Fatal prints a structured error (not null) and exits non-zero, naming the field', async () => {
    const file = claimFile((t) => t.replace('prompt: Flask API, highly available, under $300/month', 'prompt: "bad\\0prompt"'));
    const r = await scai('decide', file, '--repo-dir', ROOT, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).error.message).toMatch(/spec\.prompt: must not contain NUL/);
  });

  it('a hard-budget refusal prints the refused decision and exits non-zero', async () => {
    const file = join(ROOT, 'examples', 'claims', 'hard-budget-refusal.yaml');
    const r = await scai('decide', file, '--repo-dir', ROOT, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.refused.reason).toBe('BudgetExceeded');
    expect(j.strategy).toBeDefined();
    expect(r.err).toMatch(/hard budget/);
  });
});

describe('scai: arguments that cannot be right', () => {
  it('refuses an invalid --now with exit code 2', async () => {
    for (const now of ['yesterday', '2026-13-45T99:00:00Z']) {
      const r = await scai('decide', EXAMPLE, '--repo-dir', ROOT, '--now', now);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining('--now must be an RFC 3339 UTC time')]);
    }
  });

  it('rag stats on a mistyped directory says so and creates nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'scai-cli-')), 'no-such-store');
    let err = '';
    const code = await ragCli(['stats', '--rag-dir', dir], { out: () => undefined, err: (s) => (err += s) });
    const r = { code, err };
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no RAG store in ${dir}`);
    expect(existsSync(dir)).toBe(false);
  });
});
