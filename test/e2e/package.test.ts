// e2e: packaging and the KCL modules' own tests, with the real crossplane CLI (v2.1.3) and the
// kcl CLI over the real KCL engine (kcl-lib 0.12.3). Needs `bash scripts/install-tools.sh`.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrdValidator, readYamlDocs, SHARED_CRDS } from '../helpers/crd-validate.js';
import { renderAll } from '../../scripts/build-compositions.js';
import { CROSSPLANE, ROOT, TOOLS_BIN } from '../../scripts/render.js';

const tmp = mkdtempSync(join(tmpdir(), 'scai-pkg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const crossplane = new CrdValidator().addDir(join(SHARED_CRDS, 'crossplane-v2.1.8'));

describe('KCL modules', () => {
  it('`kcl test` passes for every module under compositions/ (kcl CLI over kcl-lib 0.12.3)', () => {
    const modules = readdirSync(join(ROOT, 'compositions'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('kcl.mod'))
      .map((f) => join(ROOT, 'compositions', f, '..'));
    expect(modules.length).toBeGreaterThan(0);
    for (const m of modules) {
      const r = spawnSync(join(TOOLS_BIN, 'kcl'), ['test', m], { encoding: 'utf8' });
      const summary = /(\d+) passed, (\d+) failed/.exec(r.stdout);
      process.stdout.write(`kcl test ${m.slice(ROOT.length + 1)}: ${summary?.[0] ?? r.stdout + r.stderr}\n`);
      expect([m, r.status, summary?.[2]]).toEqual([m, 0, '0']);
      expect(Number(summary?.[1])).toBeGreaterThan(0);
    }
  });

  it('the generated Compositions are up to date with the .k sources (build-compositions --check)', () => {
    for (const [file, text] of renderAll()) expect([file, readFileSync(file, 'utf8') === text]).toEqual([file, true]);
  });
});

describe('packages', () => {
  it('the Configuration (crossplane.yaml + XRDs + Compositions) builds with `crossplane xpkg build`', () => {
    const dir = join(tmp, 'configuration');
    mkdirSync(join(dir, 'no-examples'), { recursive: true });
    copyFileSync(join(ROOT, 'crossplane.yaml'), join(dir, 'crossplane.yaml'));
    const files = [
      ...readdirSync(join(ROOT, 'apis')).map((f) => join(ROOT, 'apis', f)),
      join(ROOT, 'compositions', 'deployment.yaml'),
      ...readdirSync(join(ROOT, 'compositions', 'infrastructure')).map((f) => join(ROOT, 'compositions', 'infrastructure', f)),
    ].filter((f) => f.endsWith('.yaml'));
    for (const f of files) copyFileSync(f, join(dir, f.split('/').slice(-2).join('-')));
    const out = join(tmp, 'scai.xpkg');
    execFileSync(CROSSPLANE, ['xpkg', 'build', '-f', dir, '-e', join(dir, 'no-examples'), '-o', out], { stdio: 'pipe' });
    expect(statSync(out).size).toBeGreaterThan(1000);
    const meta = readYamlDocs(join(ROOT, 'crossplane.yaml'))[0]!;
    expect(meta.apiVersion).toBe('meta.pkg.crossplane.io/v1');
    const deps = meta.spec.dependsOn.map((d: any) => d.package.split('/').pop());
    for (const want of ['function-scai', 'function-kcl', 'function-auto-ready', 'provider-kubernetes', 'provider-aws-ec2', 'provider-gcp-compute']) expect(deps).toContain(want);
    for (const d of meta.spec.dependsOn) expect(d.version).toMatch(/^>=v\d+\.\d+\.\d+$/);
  });

  it('the Deployment composition is valid and runs function-scai then function-auto-ready', () => {
    const c = readYamlDocs(join(ROOT, 'compositions', 'deployment.yaml'))[0]!;
    expect(crossplane.errors(c)).toEqual([]);
    expect(c.metadata.name).toBe('scai-deployment');
    const xrd = readYamlDocs(join(ROOT, 'apis', 'xdeployments.yaml'))[0]!;
    expect(xrd.spec.defaultCompositionRef.name).toBe('scai-deployment');
    expect(c.spec.pipeline.map((s: any) => s.functionRef.name)).toEqual(['function-scai', 'function-auto-ready']);
  });

  it('the Function package metadata + input CRD build with `crossplane xpkg build` (no runtime image: it cannot be built here)', () => {
    const dir = join(tmp, 'function');
    mkdirSync(join(dir, 'input'), { recursive: true });
    mkdirSync(join(dir, 'no-examples'));
    copyFileSync(join(ROOT, 'package', 'crossplane.yaml'), join(dir, 'crossplane.yaml'));
    for (const f of readdirSync(join(ROOT, 'package', 'input'))) copyFileSync(join(ROOT, 'package', 'input', f), join(dir, 'input', f));
    const out = join(tmp, 'function-scai.xpkg');
    execFileSync(CROSSPLANE, ['xpkg', 'build', '-f', dir, '-e', join(dir, 'no-examples'), '-o', out], { stdio: 'pipe' });
    expect(statSync(out).size).toBeGreaterThan(1000);
    const meta = readYamlDocs(join(ROOT, 'package', 'crossplane.yaml'))[0]!;
    expect([meta.apiVersion, meta.kind, meta.metadata.name]).toEqual(['meta.pkg.crossplane.io/v1beta1', 'Function', 'function-scai']);
  });

  it('the function Dockerfile is multi-stage, runs as non-root and ships no dev dependencies', () => {
    const df = readFileSync(join(ROOT, 'package', 'Dockerfile'), 'utf8');
    const stages = df.split('\n').filter((l) => /^FROM /.test(l));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = df.slice(df.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/\nUSER (?!0|root)\S+/);
    expect(df).toMatch(/npm prune --omit=dev/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });
});
