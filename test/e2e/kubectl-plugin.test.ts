// e2e: `kubectl scai` through the REAL kubectl (.tools/bin/kubectl, built by scripts/install-kube.sh)
// and its plugin discovery, against a real API server (etcd + kube-apiserver, as in
// test/kubectl-scai.test.ts, which covers each subcommand in depth). A directory on PATH holds
// `kubectl-scai`, a link to bin/kubectl-scai.js as `npm link` / `npm install -g` makes it; the bin runs
// dist/ (`npm run test:e2e` builds first). The claims come from examples/claims through
// `kubectl apply -f`, as the README's install section applies them; the test plays Crossplane (the
// function renders in process, kubectl writes the status). What is checked is what kubectl adds:
// discovery, the arguments after `scai` passed through unchanged (-n, -o json, a `-1` vote), the
// environment (KUBECONFIG, HOME's ~/.kube/config as `kubectl config` edits it) and the exit code.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Severity, Status } from '@crossplane-org/function-sdk-typescript';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimToXr } from '../../function/src/cli/claims.js';
import { kubectlScai } from '../../function/src/cli/kubectl.js';
import { runFunction } from '../../function/src/handler.js';
import type { LooseObj as Obj } from '../../lib/obj.js';
import { countingSource, desiredStatus, request } from '../helpers/fn.js';
import { ROOT, startKube, TOOLS_BIN, type KubeEnv } from '../helpers/kube.js';
import { xrdToCrds } from '../helpers/xrd-crd.js';

const KUBECTL = join(TOOLS_BIN, 'kubectl'); // never the machine's own kubectl, if it has one
const CLAIMS_FILE = join(ROOT, 'examples/claims/vm-aws-express.yaml'); // CloudProvider aws-team-b + Deployment orders-api, in team-b

let kube: KubeEnv;
let dir: string;
let pluginDir: string;
let nodeDir: string; // only `node`, so no other kubectl-* on the machine's PATH shows up
let home: string;
let kubeconfig: string; // the admin's; its context names no namespace

interface Run { code: number | null; out: string; err: string }

/** The real kubectl, as its own process: PATH is the plugin directory and node (the bin's `env node`). */
function kubectl(args: string[], env: Record<string, string> = {}, path = `${pluginDir}:${nodeDir}`): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(KUBECTL, args, { cwd: ROOT, env: { PATH: path, HOME: home, ...env } });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

/** kubectl must succeed: its output, or a failure that shows what it printed. */
async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await kubectl(args, env);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.err}${r.out}`);
  return r.out;
}

/** `kubectl scai <args>` in this process, for the byte-for-byte comparison with what kubectl runs. */
async function inProcess(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await kubectlScai(args, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

beforeAll(async () => {
  kube = await startKube(); // the Deployment claim's CRD is installed
  dir = mkdtempSync(join(tmpdir(), 'scai-e2e-kubectl-'));
  pluginDir = join(dir, 'bin');
  nodeDir = join(dir, 'node');
  home = join(dir, 'home');
  for (const d of [pluginDir, nodeDir, home]) mkdirSync(d);
  symlinkSync(process.execPath, join(nodeDir, 'node'));
  symlinkSync(join(ROOT, 'bin/kubectl-scai.js'), join(pluginDir, 'kubectl-scai'));
  kubeconfig = kube.adminKubeconfig;
  // The CloudProvider claim's CRD (Crossplane makes it from the XRD), then the namespace, all by kubectl.
  const crds = xrdToCrds(parse(readFileSync(join(ROOT, 'apis/xcloudproviders.yaml'), 'utf8')));
  writeFileSync(join(dir, 'crds.yaml'), crds.map((c) => stringify(c)).join('---\n'));
  await ok(['apply', '-f', join(dir, 'crds.yaml'), '--kubeconfig', kubeconfig]);
  await ok(['wait', '--for', 'condition=Established', '--timeout', '60s', 'crd/cloudproviders.scai.io', 'crd/deployments.scai.io', '--kubeconfig', kubeconfig]);
  await ok(['create', 'namespace', 'team-b', '--kubeconfig', kubeconfig]);
}, 180_000);

afterAll(async () => {
  await kube?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('kubectl scai through the real kubectl (plugin discovery)', () => {
  it('kubectl is the one install-kube.sh builds, at the pinned release', async () => {
    const v = JSON.parse(await ok(['version', '--client', '-o', 'json']));
    expect(v.clientVersion).toMatchObject({ gitVersion: 'v1.37.2', major: '1', minor: '37', gitTreeState: 'clean' });
    expect(readFileSync(join(ROOT, 'scripts/install-kube.sh'), 'utf8')).toContain('KUBE_VERSION=v1.37.2');
  });

  it('`kubectl plugin list` finds kubectl-scai on PATH; without it on PATH, `kubectl scai` is an unknown command', async () => {
    expect(await kubectl(['plugin', 'list'])).toEqual({ code: 0, out: `The following compatible plugins are available:\n\n${join(pluginDir, 'kubectl-scai')}\n`, err: '' });
    const none = await kubectl(['scai', 'list', '--kubeconfig', kubeconfig], {}, nodeDir);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^error: unknown command "scai" for "kubectl"/);
  });

  it('kubectl apply -f examples/claims/vm-aws-express.yaml (strict field validation against the XRDs\' CRDs); list shows the claim, -n passed through', async () => {
    expect(await kubectl(['apply', '-f', CLAIMS_FILE, '--kubeconfig', kubeconfig])).toEqual({
      code: 0, out: 'cloudprovider.scai.io/aws-team-b created\ndeployment.scai.io/orders-api created\n', err: '',
    });
    // kubectl validates strictly by default: a field the XRD does not declare is refused, not pruned.
    writeFileSync(join(dir, 'typo.yaml'), readFileSync(CLAIMS_FILE, 'utf8').replace('  prompt:', '  promt:'));
    const typo = await kubectl(['apply', '-f', join(dir, 'typo.yaml'), '--kubeconfig', kubeconfig]);
    expect(typo.code).toBe(1);
    expect(typo.err).toContain('unknown field "spec.promt"');
    const r = await kubectl(['scai', 'list', '-n', 'team-b', '--kubeconfig', kubeconfig]);
    expect([r.code, r.err]).toEqual([0, '']);
    const [head, row, ...more] = r.out.trimEnd().split('\n');
    expect(head!.split(/\s{3,}/)).toEqual(['NAME', 'PHASE', 'STRATEGY', 'ESTIMATED', 'ACTUAL', 'REVISION', 'AGE']);
    expect(row!.split(/\s+/).slice(0, 3)).toEqual(['orders-api', 'Pending', '-']);
    expect(more).toEqual([]);
    // The admin context names no namespace: `default`, where there is nothing.
    expect(await kubectl(['scai', 'list', '--kubeconfig', kubeconfig])).toEqual({ code: 0, out: '', err: 'No resources found in default namespace.\n' });
  });

  it('after a decision: explain and list -o json through kubectl print what the plugin prints in process, with KUBECONFIG from the environment', async () => {
    // Crossplane's part: render the claim as the API server holds it (its repository is this checkout:
    // spec.repository.path examples/apps/express-app), write the status back with kubectl.
    const get = async (resource: string, name: string) => JSON.parse(await ok(['get', resource, name, '-n', 'team-b', '-o', 'json', '--kubeconfig', kubeconfig])) as Obj;
    const c = await get('deployments.scai.io', 'orders-api');
    const p = await get('cloudproviders.scai.io', 'aws-team-b');
    const xr = claimToXr({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name: 'orders-api', namespace: 'team-b' }, spec: c.spec });
    const provider = claimToXr({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: 'aws-team-b', namespace: 'team-b' }, spec: p.spec });
    const at = '2026-11-28T12:00:00Z';
    const { rsp } = await runFunction(request({ xr, provider }), { repos: countingSource(ROOT), now: () => at });
    const conditions = rsp.conditions.map((x) => ({ type: x.type, status: x.status === Status.STATUS_CONDITION_TRUE ? 'True' : 'False', reason: x.reason, message: x.message ?? '', lastTransitionTime: at }));
    const status: Obj = { ...desiredStatus(rsp), conditions };
    expect([rsp.results.filter((x) => x.severity === Severity.SEVERITY_FATAL).map((x) => x.message), status.deployment?.strategy]).toEqual([[], 'vm']);
    await ok(['patch', 'deployments.scai.io', 'orders-api', '-n', 'team-b', '--subresource', 'status', '--type', 'merge', '-p', JSON.stringify({ status }), '--kubeconfig', kubeconfig]);

    const env = { KUBECONFIG: kubeconfig };
    const explain = await kubectl(['scai', 'explain', 'orders-api', '-n', 'team-b'], env);
    expect([explain.code, explain.err]).toEqual([0, '']);
    expect(explain.out).toMatch(/^Name: +orders-api\nNamespace: +team-b\nPhase: +Provisioning\nStrategy: +vm \(confidence \d\.\d\d\)\nRevision: +1\n/);
    expect(explain.out).toBe((await inProcess(['explain', 'orders-api', '-n', 'team-b', '--kubeconfig', kubeconfig])).out);

    const json = await kubectl(['scai', 'list', '-n', 'team-b', '-o', 'json'], env);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.out);
    expect(list).toMatchObject({ kind: 'List', items: [{ metadata: { name: 'orders-api', namespace: 'team-b' }, status: { deployment: { strategy: 'vm' } } }] });
    expect(list.items[0].status.cost.estimatedMonthly).toBe(status.cost.estimatedMonthly);
    const yaml = await kubectl(['scai', 'explain', 'orders-api', '--namespace=team-b', '-o', 'yaml'], env);
    expect(parse(yaml.out)).toEqual(parse((await inProcess(['explain', 'orders-api', '-n', 'team-b', '-o', 'yaml', '--kubeconfig', kubeconfig])).out));
  });

  it('~/.kube/config with the namespace `kubectl config set-context --current` sets: no flags needed', async () => {
    mkdirSync(join(home, '.kube'), { recursive: true }); // kubectl keeps its discovery cache there
    writeFileSync(join(home, '.kube/config'), readFileSync(kubeconfig));
    expect(await kubectl(['config', 'set-context', '--current', '--namespace', 'team-b'])).toEqual({ code: 0, out: 'Context "test" modified.\n', err: '' });
    const r = await kubectl(['scai', 'list']);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out.split('\n')[1]!.split(/\s+/).slice(0, 3)).toEqual(['orders-api', 'Provisioning', 'vm']);
    expect((await kubectl(['scai', 'history', 'orders-api'])).out.split('\n')[1]).toMatch(/^1 +2026-11-28T12:00:00Z +vm /);
  });

  it('a `-1` vote and --comment pass through kubectl to the claim\'s annotations', async () => {
    const r = await kubectl(['scai', 'feedback', 'orders-api', '-1', '--comment', 'cold starts at peak', '-n', 'team-b', '--kubeconfig', kubeconfig]);
    expect(r).toEqual({ code: 0, out: 'deployment.scai.io/orders-api annotated: scai.io/feedback=-1 with a comment (the scai controller records it on the decision)\n', err: '' });
    const annotations = JSON.parse(await ok(['get', 'deployments.scai.io', 'orders-api', '-n', 'team-b', '-o', 'jsonpath={.metadata.annotations}', '--kubeconfig', kubeconfig]));
    expect(annotations).toMatchObject({ 'scai.io/feedback': '-1', 'scai.io/feedback-comment': 'cold starts at peak' });
  });

  it('exit codes come through kubectl: 1 naming the object, 2 for a bad command line; flags go after `scai`', async () => {
    const env = { KUBECONFIG: kubeconfig };
    expect(await kubectl(['scai', 'explain', 'nope', '-n', 'team-b'], env)).toEqual({ code: 1, out: '', err: 'Error from server (NotFound): deployments.scai.io "nope" not found\n' });
    const bad = await kubectl(['scai', 'rollback', 'orders-api', '-n', 'team-b'], env);
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err).toMatch(/^error: kubectl scai rollback <name> needs exactly one of --to-revision N and --clear/);
    expect((await kubectl(['scai', 'list', '-o', 'wide'], env)).code).toBe(2);
    // kubectl's rule for every plugin: it finds the plugin by the words before the first flag.
    expect(await kubectl(['--kubeconfig', kubeconfig, 'scai', 'list'])).toEqual({ code: 1, out: '', err: 'Error: flags cannot be placed before plugin name: --kubeconfig\n' });
  });
});
