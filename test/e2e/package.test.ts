// e2e: packaging and the KCL modules' own tests, with the real crossplane CLI (v2.1.3) and the
// kcl CLI over the real KCL engine (kcl-lib 0.12.3). Needs `bash scripts/install-tools.sh`.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CrdValidator, readYamlDocs, SHARED_CRDS } from '../helpers/crd-validate.js';
import { CONFIGURATION_DIR, DEPLOYMENT_COMPOSITION, OUT_DIR, renderAll, XRD_DIR } from '../../scripts/build-compositions.js';
import { CLAIMS_DIR, CROSSPLANE, ROOT, TOOLS_BIN, yamlDocs } from '../../scripts/render.js';

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

  it('the generated files of configuration/ are up to date with compositions/kcl/*.k and apis/ (build-compositions --check)', () => {
    const files = renderAll();
    for (const [file, text] of files) expect([file, readFileSync(file, 'utf8') === text]).toEqual([file, true]);
    const onDisk = [OUT_DIR, XRD_DIR].flatMap((d) => readdirSync(d).map((f) => join(d, f)));
    expect(onDisk.filter((f) => !files.has(f))).toEqual([]);
  });
});

/** The objects of a built package: package.yaml (metadata + XRDs + Compositions) and the examples. */
function xpkgContents(file: string): { package: any[]; examples: any[] } {
  const dir = mkdtempSync(join(tmp, 'xpkg-'));
  execFileSync('tar', ['-xf', file, '-C', dir]);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const out = { package: [] as any[], examples: [] as any[] };
  for (const layer of manifest[0].Layers as string[]) {
    const names = execFileSync('tar', ['-tzf', join(dir, layer)], { encoding: 'utf8' }).trim().split('\n');
    for (const n of names) {
      const docs = yamlDocs(execFileSync('tar', ['-xzOf', join(dir, layer), n], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      if (n === 'package.yaml') out.package.push(...docs);
      else if (n.endsWith('examples.yaml')) out.examples.push(...docs);
    }
  }
  return out;
}

describe('packages', () => {
  const kinds = (docs: any[]) => docs.map((d) => `${d.kind}/${d.metadata.name}`).sort();
  const packageObjects = [
    'CompositeResourceDefinition/xcloudproviders.scai.io',
    'CompositeResourceDefinition/xdeployments.scai.io',
    'CompositeResourceDefinition/xinfrastructures.scai.io',
    'Composition/scai-cloudprovider',
    'Composition/scai-deployment',
    'Composition/scai-kubernetes-aws',
    'Composition/scai-kubernetes-gcp',
    'Composition/scai-serverless-aws',
    'Composition/scai-serverless-gcp',
    'Composition/scai-vm-aws',
    'Composition/scai-vm-gcp',
    'Configuration/scai',
  ];

  it('`crossplane xpkg build -f configuration` builds the Configuration as is (from the repository root)', () => {
    const out = join(tmp, 'scai-as-is.xpkg');
    execFileSync(CROSSPLANE, ['xpkg', 'build', '-f', 'configuration', '-o', out], { cwd: ROOT, stdio: 'pipe' });
    const pkg = xpkgContents(out);
    expect(kinds(pkg.package)).toEqual(packageObjects);
    // The default examples root is ./examples: every example, render inputs included.
    expect(pkg.examples.length).toBeGreaterThan(0);
  });

  it('`crossplane xpkg build -f configuration -e examples/claims`: XRDs + Compositions, the example claims as package examples', () => {
    const out = join(tmp, 'scai.xpkg');
    execFileSync(CROSSPLANE, ['xpkg', 'build', '-f', 'configuration', '-e', 'examples/claims', '-o', out], { cwd: ROOT, stdio: 'pipe' });
    expect(statSync(out).size).toBeGreaterThan(1000);
    const pkg = xpkgContents(out);
    expect(kinds(pkg.package)).toEqual(packageObjects);
    const claims = readdirSync(CLAIMS_DIR).flatMap((f) => readYamlDocs(join(CLAIMS_DIR, f)));
    expect(kinds(pkg.examples)).toEqual(kinds(claims));
    for (const x of pkg.package.filter((d) => d.kind !== 'Configuration')) expect([x.metadata.name, crossplane.errors(x)]).toEqual([x.metadata.name, []]);
    const meta = readYamlDocs(join(CONFIGURATION_DIR, 'crossplane.yaml'))[0]!;
    expect(meta.apiVersion).toBe('meta.pkg.crossplane.io/v1');
    const deps = meta.spec.dependsOn.map((d: any) => d.package.split('/').pop());
    for (const want of ['function-scai', 'function-kcl', 'function-auto-ready', 'provider-kubernetes', 'provider-aws-ec2', 'provider-gcp-compute']) expect(deps).toContain(want);
    for (const d of meta.spec.dependsOn) expect(d.version).toMatch(/^>=v\d+\.\d+\.\d+$/);
  });

  it('the Deployment composition is valid and runs function-scai then function-auto-ready', () => {
    const c = readYamlDocs(DEPLOYMENT_COMPOSITION)[0]!;
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
