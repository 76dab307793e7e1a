// e2e: rollback through the REAL `crossplane render` (both stages, as render.test.ts runs them).
// Revision 1 of examples/claims/vm-aws-express.yaml on vm; the spec then asks for kubernetes
// (revision 2); spec.decisionRevision: 1 must compose, in `crossplane render`'s own output, the very
// bytes revision 1 composed, in stage 1 (the XInfrastructure) and in stage 2 (the cloud resources),
// and again on the re-render that observes the rollback's status; removing the field gives back
// revision 2's bytes. Needs `bash scripts/install-tools.sh` and `npm run build`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIMS_DIR, isXr, loadClaim, renderPipeline, startFunctions, type Claim, type FunctionServers, type PipelineRender } from '../../scripts/render.js';
import type { LooseObj as Obj } from '../../lib/obj.js';

let servers: FunctionServers;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scai-e2e-rollback-'));
  servers = await startFunctions(dir);
});

afterAll(async () => {
  await servers?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The composed documents of one `crossplane render` output, as printed. */
const composedText = (stdout: string): string[] => stdout.split(/^---\n/m).filter((d) => d.includes('crossplane.io/composition-resource-name'));
const xrOf = (r: PipelineRender): Obj => r.stage1.find((d) => isXr(d, 'XDeployment'))!;
const withSpec = (c: Claim, spec: Obj): Claim => ({ ...c, xr: { ...c.xr, spec: { ...c.xr.spec, ...spec } } });

describe('rollback with spec.decisionRevision (real crossplane render)', () => {
  const claim = loadClaim(join(CLAIMS_DIR, 'vm-aws-express.yaml'));
  const kubernetes = withSpec(claim, { strategy: 'kubernetes' });
  let rev1: PipelineRender;
  let rev2: PipelineRender;
  let back: PipelineRender;

  beforeAll(async () => {
    rev1 = await renderPipeline(claim, servers, dir);
    rev2 = await renderPipeline(kubernetes, servers, dir, { xrStatus: xrOf(rev1).status });
    back = await renderPipeline(withSpec(kubernetes, { decisionRevision: 1 }), servers, dir, { xrStatus: xrOf(rev2).status });
  });

  it('revision 1 (vm) and revision 2 (kubernetes) compose different resources', () => {
    expect([rev1.infra?.spec.strategy, rev2.infra?.spec.strategy]).toEqual(['vm', 'kubernetes']);
    expect(xrOf(rev2).status.history.map((e: Obj) => e.revision)).toEqual([1, 2]);
    expect(composedText(rev1.text.stage1)).toHaveLength(1);
  });

  it('decisionRevision 1 composes revision 1 byte for byte in both stages, recorded as revision 3', () => {
    expect(composedText(back.text.stage1)).toEqual(composedText(rev1.text.stage1));
    expect(back.text.stage2.length).toBeGreaterThan(1000);
    expect(back.text.stage2).toBe(rev1.text.stage2);
    const xr = xrOf(back);
    expect(xr.status.history.map((e: Obj) => [e.revision, e.restoredFrom])).toEqual([[1, undefined], [2, undefined], [3, 1]]);
    expect(xr.status.conditions.find((c: Obj) => c.type === 'DecisionReady')).toMatchObject({ status: 'True', reason: 'RolledBack' });
  });

  it('re-rendered with the rollback observed, the same bytes; without the field, revision 2 again', async () => {
    const again = await renderPipeline(withSpec(kubernetes, { decisionRevision: 1 }), servers, dir, { xrStatus: xrOf(back).status });
    expect(composedText(again.text.stage1)).toEqual(composedText(rev1.text.stage1));
    expect(again.text.stage2).toBe(rev1.text.stage2);
    expect(xrOf(again).status.history).toHaveLength(3);
    const cleared = await renderPipeline(kubernetes, servers, dir, { xrStatus: xrOf(again).status });
    expect(composedText(cleared.text.stage1)).toEqual(composedText(rev2.text.stage1));
    expect(cleared.text.stage2).toBe(rev2.text.stage2);
    expect(xrOf(cleared).status.decision).toMatchObject({ revision: 4, restoredFrom: 2 });
  });

  it('an unknown revision: crossplane render fails with the Fatal naming spec.decisionRevision', async () => {
    await expect(renderPipeline(withSpec(kubernetes, { decisionRevision: 9 }), servers, dir, { xrStatus: xrOf(rev2).status })).rejects.toThrow(
      /spec\.decisionRevision: revision 9 is not in status\.history \(kept: 1, 2\)/,
    );
  });
});
